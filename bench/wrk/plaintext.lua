-- GET /plaintext, one request at a time per connection.
wrk.path = "/plaintext"
