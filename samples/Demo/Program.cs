// TODO(skeleton): the Demo app is being written.
return 0;
