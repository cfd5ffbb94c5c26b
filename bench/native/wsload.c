/*
 * wsload: a websocket load generator that is not the bottleneck.
 *
 * One thread, one epoll loop, closed loop: every connection keeps K messages in flight and sends
 * the next one when an echo comes back. Frames are built and masked once at start, so sending is
 * a write() from a pre-built buffer and receiving is a streaming frame parser that never copies a
 * payload it does not need: no allocation per message. Latency is measured per message (send to
 * echo) into a log-linear histogram (about 1.5% resolution).
 *
 * Modes (the runner, bench/HostKit.Bench, compiles this with `cc -O2` and drives it):
 *   echo    N connections x K in flight, messages of S bytes (text or binary): messages/s, p50/p99;
 *           with --chat, the messages are chat events (JSON of about 100-220 bytes, each different, from a
 *           fixed pseudo-random list) instead of S repeated letters, and with --deflate takeover|no-takeover
 *           the client offers permessage-deflate (RFC 7692) and compresses them with zlib (a server that
 *           does not accept the offer is a failed handshake, never a silently uncompressed row)
 *   idle    open N websockets and hold them until stdin closes (the runner reads server RSS meanwhile)
 *   fanout  N members in one chat room; members take turns sending a numbered message; latency is
 *           from the send to the receipt by the last member (the protocol of WS /ws/chat)
 *   probe   one upgrade request: prints the response's status line, exit 0 if it was 101
 *
 * Output: "phase NAME" lines on stdout as phases begin (measure, connected, done), then one line
 * "result {json}". Diagnostics go to stderr. wire_out_bytes and wire_in_bytes are the websocket bytes
 * (frames, compressed or not; TCP/IP headers excluded) written and read in the measurement window.
 *
 * Build: cc -O2 wsload.c -lz (Debian: zlib1g-dev).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

enum mode { MODE_ECHO, MODE_IDLE, MODE_FANOUT, MODE_PROBE };
enum state { ST_CONNECTING, ST_HANDSHAKE, ST_OPEN, ST_CLOSING, ST_DEAD };

/* ---- options ---- */
static enum mode mode = MODE_ECHO;
static const char *host = "127.0.0.1";
static int port = 0;
static const char *path = "/ws/echo";
static int connections = 32;
static int inflight = 1;
static int size = 32;
static int text = 0;
static int chat = 0;            /* --chat: chat events instead of repeated letters */
enum deflate_offer { DEFLATE_NONE, DEFLATE_NO_TAKEOVER, DEFLATE_TAKEOVER };
static enum deflate_offer deflate_offer = DEFLATE_NONE;
static double warmup_s = 0, duration_s = 5, connect_timeout_s = 120;
static int max_connecting = 128; /* handshakes in progress at once: stays under the server's listen backlog */
static const char *room = "bench";
static double sender_interval_ms = 100; /* fanout: one member sends at most every this often (chat rate limits) */
static double delivery_timeout_s = 5;   /* fanout: a message not delivered to all members by then is lost */

/* ---- clock ---- */
static inline uint64_t now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

/* ---- latency histogram: exact below 128 us, then 64 sub-buckets per power of two ---- */
#define SUB_BITS 6
#define SUB (1 << SUB_BITS)
#define BUCKETS (128 + 40 * SUB)
static uint64_t histogram[BUCKETS];
static uint64_t histogram_count, histogram_max;

static int bucket_of(uint64_t us)
{
    if (us < 128)
        return (int)us;
    int msb = 63 - __builtin_clzll(us); /* >= 7 */
    int shift = msb - SUB_BITS;
    int index = 128 + (msb - 7) * SUB + (int)((us >> shift) & (SUB - 1));
    return index < BUCKETS ? index : BUCKETS - 1;
}

static uint64_t bucket_value(int index) /* the bucket's upper edge, in microseconds */
{
    if (index < 128)
        return (uint64_t)index;
    int msb = (index - 128) / SUB + 7;
    uint64_t sub = (uint64_t)((index - 128) % SUB);
    int shift = msb - SUB_BITS;
    return ((1ull << msb) | (sub << shift)) + ((1ull << shift) - 1);
}

static void record_latency(uint64_t ns)
{
    uint64_t us = ns / 1000;
    histogram[bucket_of(us)]++;
    histogram_count++;
    if (us > histogram_max)
        histogram_max = us;
}

static uint64_t percentile(double p)
{
    if (histogram_count == 0)
        return 0;
    uint64_t target = (uint64_t)(p / 100.0 * (double)histogram_count + 0.5), seen = 0;
    if (target < 1)
        target = 1;
    for (int i = 0; i < BUCKETS; i++)
    {
        seen += histogram[i];
        if (seen >= target)
            return bucket_value(i) < histogram_max ? bucket_value(i) : histogram_max;
    }
    return histogram_max;
}

/* ---- connections ---- */
typedef struct conn
{
    int fd, index;
    enum state state;
    char *handshake;  /* the response head while it arrives; freed once open */
    int handshake_len;
    /* frame parser */
    uint8_t head[14];
    int head_have, head_need;
    uint64_t payload_left;
    uint8_t frame_opcode, fin; /* of the frame being parsed (0 = continuation) */
    int in_payload, collect;
    uint8_t *message; /* payload bytes kept only when they matter: control frames, chat messages */
    size_t message_len, message_cap;
    uint64_t message_bytes; /* payload bytes of the data message being received, collected or not */
    /* echo: the outgoing byte stream is periodic (identical frames), so a phase is all we keep */
    uint64_t pending; /* bytes queued but not yet written */
    uint32_t phase;
    int want_write;
    uint64_t *sent_at; /* ring of send times of the messages in flight */
    int sent_head, sent_count;
    /* chat: each message differs, so frames are built per message into out (compressed when negotiated) */
    uint32_t *sent_size; /* ring of the sizes (uncompressed) of the messages in flight */
    uint8_t *out;
    size_t out_len, out_off, out_cap;
    uint32_t next_event;
    int deflating, deflate_reset; /* permessage-deflate negotiated; reset the compressor per message */
    int inflating;                /* the data message being received is compressed (RSV1) */
    z_stream deflater, inflater;
} conn;

static conn *conns;
static int epoll_fd;
static uint8_t *frames; /* inflight + 1 identical masked frames, back to back */
static size_t frame_len;
static const uint8_t mask_key[4] = {0x37, 0xfa, 0x21, 0x3d};

static int opened, connecting, next_to_connect, handshake_failures, dropped;
static uint64_t wrong_size; /* echoes whose size differs from what was sent: a broken server, not a fast one */
static char first_error[256];
static int measuring;
static uint64_t messages, bytes_in, wire_in, wire_out;

static void note_error(const char *format, const char *detail)
{
    if (first_error[0] == 0)
        snprintf(first_error, sizeof first_error, format, detail);
}

static size_t build_frame(uint8_t *out, int opcode, const uint8_t *payload, size_t length)
{
    size_t n = 0;
    out[n++] = (uint8_t)(0x80 | opcode);
    if (length < 126)
        out[n++] = (uint8_t)(0x80 | length);
    else if (length < 65536)
    {
        out[n++] = 0x80 | 126;
        out[n++] = (uint8_t)(length >> 8);
        out[n++] = (uint8_t)length;
    }
    else
    {
        out[n++] = 0x80 | 127;
        for (int i = 7; i >= 0; i--)
            out[n++] = (uint8_t)(length >> (8 * i));
    }
    memcpy(out + n, mask_key, 4);
    n += 4;
    for (size_t i = 0; i < length; i++)
        out[n + i] = payload[i] ^ mask_key[i & 3];
    return n + length;
}

static void set_events(conn *c, uint32_t events)
{
    struct epoll_event e = {.events = events, .data.ptr = c};
    epoll_ctl(epoll_fd, EPOLL_CTL_MOD, c->fd, &e);
}

static void kill_conn(conn *c, const char *why)
{
    if (c->state == ST_DEAD)
        return;
    if (c->state == ST_OPEN)
    {
        opened--;
        dropped++;
        note_error("connection lost: %s", why);
    }
    else
    {
        connecting--;
        handshake_failures++;
        note_error("%s", why);
    }
    c->state = ST_DEAD;
    epoll_ctl(epoll_fd, EPOLL_CTL_DEL, c->fd, NULL);
    close(c->fd);
    free(c->handshake);
    c->handshake = NULL;
}

static void want_write(conn *c, int yes)
{
    if (c->want_write != yes)
    {
        c->want_write = yes;
        set_events(c, yes ? EPOLLIN | EPOLLOUT : EPOLLIN);
    }
}

/* Chat: writes the frames built into c->out. */
static void flush_chat(conn *c)
{
    while (c->out_off < c->out_len)
    {
        ssize_t n = write(c->fd, c->out + c->out_off, c->out_len - c->out_off);
        if (n < 0)
        {
            if (errno == EAGAIN)
            {
                want_write(c, 1);
                return;
            }
            kill_conn(c, strerror(errno));
            return;
        }
        if (measuring)
            wire_out += (uint64_t)n;
        c->out_off += (size_t)n;
    }
    c->out_off = c->out_len = 0;
    want_write(c, 0);
}

/* Writes what is queued, from the pre-built frames; waits for EPOLLOUT when the socket is full. */
static void flush_echo(conn *c)
{
    if (chat)
    {
        flush_chat(c);
        return;
    }
    while (c->pending > 0)
    {
        ssize_t n = write(c->fd, frames + c->phase, (size_t)c->pending);
        if (n < 0)
        {
            if (errno == EAGAIN)
            {
                if (!c->want_write)
                {
                    c->want_write = 1;
                    set_events(c, EPOLLIN | EPOLLOUT);
                }
                return;
            }
            kill_conn(c, strerror(errno));
            return;
        }
        if (measuring)
            wire_out += (uint64_t)n;
        c->pending -= (uint64_t)n;
        c->phase = (uint32_t)((c->phase + (uint64_t)n) % frame_len);
    }
    if (c->want_write)
    {
        c->want_write = 0;
        set_events(c, EPOLLIN);
    }
}

/* Small frames (pongs, chat messages) are written at once; a socket too full for 200 bytes is lost anyway. */
static void send_small(conn *c, int opcode, const uint8_t *payload, size_t length)
{
    uint8_t frame[4096 + 14];
    if (length > 4096)
        length = 4096;
    size_t n = build_frame(frame, opcode, payload, length);
    if (write(c->fd, frame, n) != (ssize_t)n)
        kill_conn(c, "could not write a small frame at once");
}

/* ---- chat events: a fixed list of different JSON messages of about 100-220 bytes ---- */
#define CHAT_EVENTS 512
static char *chat_events[CHAT_EVENTS];
static uint32_t chat_event_len[CHAT_EVENTS];
static uint64_t chat_payload_total; /* uncompressed bytes of the list, for the mean size */

static uint32_t next_random(uint32_t *state)
{
    uint32_t x = *state; /* xorshift32: the same list on every run */
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *state = x;
}

static void build_chat_events(void)
{
    static const char *words[] = {
        "hello", "anyone", "here", "the", "build", "is", "green", "again", "thanks", "for", "fixing", "it", "lunch", "at",
        "noon", "who", "has", "the", "keys", "meeting", "moved", "to", "room", "four", "deploy", "done", "looks", "good",
        "can", "you", "review", "my", "pull", "request", "please", "tests", "fail", "on", "main", "since", "this", "morning",
        "coffee", "anyone", "brb", "back", "in", "five", "minutes", "nice", "work", "everyone", "see", "you", "tomorrow",
        "ok", "sure", "why", "not", "great", "idea", "ship", "today", "lol", "agreed", "what", "about", "friday", "release",
        "notes", "are", "ready", "the", "server", "restarted", "twice", "logs", "attached", "ping", "me", "when", "free"};
    static const char *names[] = {"ana", "bruno", "chen", "dmitri", "emma", "farah", "gustavo", "hiro", "ines", "jonas",
                                  "kemal", "lena", "marta", "nils", "olga", "priya"};
    static const char *rooms[] = {"lobby", "dev", "ops", "random", "support", "design"};
    const int word_count = (int)(sizeof words / sizeof *words);
    uint32_t state = 2463534242u;
    for (int i = 0; i < CHAT_EVENTS; i++)
    {
        char text[160];
        int len = 0, n_words = 3 + (int)(next_random(&state) % 16);
        for (int w = 0; w < n_words && len < 140; w++)
            len += snprintf(text + len, sizeof text - (size_t)len, "%s%s", w ? " " : "", words[next_random(&state) % (uint32_t)word_count]);
        if (next_random(&state) % 4 == 0 && len < 150)
            len += snprintf(text + len, sizeof text - (size_t)len, "%s", next_random(&state) % 2 ? "?" : "!");
        char event[320];
        const char *name = names[next_random(&state) % 16], *room = rooms[next_random(&state) % 6];
        uint32_t second = next_random(&state) % 86400, milli = next_random(&state) % 1000;
        int n = snprintf(event, sizeof event,
                         "{\"type\":\"message\",\"room\":\"%s\",\"id\":%d,\"from\":\"%s\",\"at\":\"2026-12-07T%02u:%02u:%02u.%03uZ\",\"text\":\"%s\"}",
                         room, 100000 + i * 7 + (int)(next_random(&state) % 7), name, second / 3600, second / 60 % 60, second % 60, milli, text);
        chat_events[i] = strdup(event);
        chat_event_len[i] = (uint32_t)n;
        chat_payload_total += (uint64_t)n;
    }
}

static void out_reserve(conn *c, size_t more)
{
    if (c->out_len + more <= c->out_cap)
        return;
    size_t cap = c->out_cap ? c->out_cap : 1024;
    while (cap < c->out_len + more)
        cap *= 2;
    c->out = realloc(c->out, cap);
    c->out_cap = cap;
}

/* Builds the next chat event's frame into c->out: compressed as RFC 7692 7.2.1 says when negotiated. */
static uint32_t queue_chat(conn *c)
{
    uint32_t index = c->next_event++ % CHAT_EVENTS;
    const uint8_t *payload = (const uint8_t *)chat_events[index];
    uint32_t length = chat_event_len[index];
    if (!c->deflating)
    {
        out_reserve(c, length + 14);
        c->out_len += build_frame(c->out + c->out_len, 1, payload, length);
        return length;
    }
    static uint8_t compressed[4096];
    if (c->deflate_reset)
        deflateReset(&c->deflater);
    c->deflater.next_in = (Bytef *)payload;
    c->deflater.avail_in = length;
    c->deflater.next_out = compressed;
    c->deflater.avail_out = sizeof compressed;
    deflate(&c->deflater, Z_SYNC_FLUSH); /* a chat event always fits: deflate never grows 220 bytes past 4 KiB */
    size_t n = sizeof compressed - c->deflater.avail_out;
    if (n >= 4 && memcmp(compressed + n - 4, "\x00\x00\xff\xff", 4) == 0)
        n -= 4; /* the sync flush's empty block, which the receiver adds back */
    out_reserve(c, n + 14);
    size_t frame = build_frame(c->out + c->out_len, 1, compressed, n);
    c->out[c->out_len] |= 0x40; /* RSV1: this message is compressed */
    c->out_len += frame;
    return length;
}

static void queue_echo(conn *c, uint64_t at)
{
    int slot = (c->sent_head + c->sent_count) % inflight;
    c->sent_at[slot] = at;
    c->sent_count++;
    if (chat)
        c->sent_size[slot] = queue_chat(c);
    else
        c->pending += frame_len;
}

/* ---- fanout state ---- */
static int fanout_senders;
static uint64_t fanout_seq, fanout_sent_at, fanout_next_at, fanout_min_gap_ns;
static int fanout_receipts, fanout_waiting, fanout_ready;
static uint64_t fanout_lost;

static void fanout_send(uint64_t at)
{
    conn *sender = &conns[fanout_seq % (uint64_t)fanout_senders];
    char body[64];
    fanout_seq++;
    int n = snprintf(body, sizeof body, "bench %llu", (unsigned long long)fanout_seq);
    fanout_sent_at = at;
    fanout_receipts = 0;
    fanout_waiting = 1;
    if (sender->state == ST_OPEN)
        send_small(sender, 1, (const uint8_t *)body, (size_t)n);
}

/* A chat event arrived at member c: counts it when it is the message in flight. */
static void fanout_on_message(conn *c, uint64_t at)
{
    static const char marker[] = "\"text\":\"bench ";
    if (c->message_len == 0)
        return;
    c->message[c->message_len < c->message_cap ? c->message_len : c->message_cap - 1] = 0;
    const char *text = strstr((const char *)c->message, marker);
    if (text == NULL)
    {
        /* Before the run starts, wait for the last member's join to reach member 0. */
        if (!fanout_ready && c->index == 0 && strstr((const char *)c->message, "\"type\":\"join\""))
        {
            char name[32];
            snprintf(name, sizeof name, "\"name\":\"m%d\"", connections - 1);
            if (strstr((const char *)c->message, name))
                fanout_ready = 1;
        }
        return;
    }
    uint64_t seq = strtoull(text + sizeof marker - 1, NULL, 10);
    if (seq != fanout_seq || !fanout_waiting)
        return;
    if (measuring)
        messages++;
    if (++fanout_receipts == opened)
    {
        fanout_waiting = 0;
        if (measuring)
            record_latency(at - fanout_sent_at);
        fanout_next_at = fanout_sent_at + fanout_min_gap_ns > at ? fanout_sent_at + fanout_min_gap_ns : at;
    }
}

static void on_message(conn *c, uint64_t at)
{
    if (mode == MODE_ECHO)
    {
        if (c->sent_count == 0)
            return; /* not ours (a server that speaks first) */
        if (c->message_bytes != (chat ? (uint64_t)c->sent_size[c->sent_head] : (uint64_t)size))
        {
            wrong_size++;
            note_error("%s", "an echo came back with another size than was sent");
        }
        uint64_t sent = c->sent_at[c->sent_head];
        c->sent_head = (c->sent_head + 1) % inflight;
        c->sent_count--;
        if (measuring)
        {
            messages++;
            record_latency(at - sent);
        }
        queue_echo(c, at);
    }
    else if (mode == MODE_FANOUT)
        fanout_on_message(c, at);
}

static void keep_payload(conn *c, const uint8_t *p, size_t n)
{
    if (c->message_len + n + 1 > c->message_cap)
    {
        size_t cap = c->message_cap ? c->message_cap : 256;
        while (cap < c->message_len + n + 1)
            cap *= 2;
        c->message = realloc(c->message, cap);
        c->message_cap = cap;
    }
    memcpy(c->message + c->message_len, p, n);
    c->message_len += n;
}

/*
 * Inflates compressed payload only to count the message's size (an echo must come back whole); the bytes go to a
 * scratch buffer. The inflater is never reset: with the server's context takeover its messages are one stream, and
 * without it a kept window is never referred to.
 */
static uint64_t inflate_counting(conn *c, const uint8_t *p, size_t n)
{
    static uint8_t scratch[16384];
    uint64_t produced = 0;
    c->inflater.next_in = (Bytef *)p;
    c->inflater.avail_in = (uInt)n;
    do
    {
        c->inflater.next_out = scratch;
        c->inflater.avail_out = sizeof scratch;
        int status = inflate(&c->inflater, Z_SYNC_FLUSH);
        produced += sizeof scratch - c->inflater.avail_out;
        if (status == Z_STREAM_END)
            inflateReset(&c->inflater); /* a sender that ended its stream (BFINAL) starts the next message afresh */
        else if (status == Z_BUF_ERROR)
            break; /* no progress possible: all input used */
        else if (status != Z_OK)
        {
            note_error("%s", "a compressed echo did not inflate");
            wrong_size++;
            break;
        }
    } while (c->inflater.avail_in > 0 || c->inflater.avail_out == 0);
    return produced;
}

static void on_frame_end(conn *c, uint64_t at)
{
    switch (c->frame_opcode)
    {
    case 0x8: /* close: the server ended the session */
    {
        char why[64];
        int code = c->message_len >= 2 ? (c->message[0] << 8) | c->message[1] : 1005;
        snprintf(why, sizeof why, "server closed the websocket with %d", code);
        kill_conn(c, why);
        return;
    }
    case 0x9: /* ping: answer, or a server with dead-peer detection closes an idle socket */
        send_small(c, 0xA, c->message, c->message_len);
        break;
    case 0xA:
        break;
    default:
        if (c->fin && c->inflating)
            c->message_bytes += inflate_counting(c, (const uint8_t *)"\x00\x00\xff\xff", 4); /* the tail the sender took off */
        if (c->fin)
            on_message(c, at);
        break;
    }
    if (c->fin || c->frame_opcode >= 0x8)
        c->message_len = 0;
    if (c->fin && c->frame_opcode < 0x8)
        c->message_bytes = 0;
}

/* Feeds received websocket bytes through the frame parser. */
static void parse_frames(conn *c, const uint8_t *p, size_t n, uint64_t at)
{
    while (n > 0 && c->state == ST_OPEN)
    {
        if (!c->in_payload)
        {
            c->head[c->head_have++] = *p++;
            n--;
            if (c->head_have == 2)
            {
                int len7 = c->head[1] & 0x7f;
                c->head_need = 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0) + ((c->head[1] & 0x80) ? 4 : 0);
            }
            if (c->head_have < 2 || c->head_have < c->head_need)
                continue;
            int len7 = c->head[1] & 0x7f;
            uint64_t length = (uint64_t)len7;
            if (len7 == 126)
                length = ((uint64_t)c->head[2] << 8) | c->head[3];
            else if (len7 == 127)
            {
                length = 0;
                for (int i = 0; i < 8; i++)
                    length = (length << 8) | c->head[2 + i];
            }
            uint8_t opcode = c->head[0] & 0x0f;
            c->fin = (c->head[0] & 0x80) != 0;
            if (opcode == 0x1 || opcode == 0x2)
                c->inflating = c->deflating && (c->head[0] & 0x40) != 0; /* RSV1 on the first frame: compressed message */
            c->frame_opcode = opcode;
            c->collect = opcode >= 0x8 || mode == MODE_FANOUT;
            if (opcode >= 0x8)
                c->message_len = 0;
            c->payload_left = length;
            c->head_have = 0;
            c->head_need = 2;
            c->in_payload = 1;
            if (length == 0)
            {
                c->in_payload = 0;
                on_frame_end(c, at);
            }
            continue;
        }
        size_t take = c->payload_left < n ? (size_t)c->payload_left : n;
        if (c->frame_opcode < 0x8 && c->inflating)
            c->message_bytes += inflate_counting(c, p, take);
        else if (c->frame_opcode < 0x8)
            c->message_bytes += take;
        if (c->collect)
            keep_payload(c, p, take);
        p += take;
        n -= take;
        c->payload_left -= take;
        if (c->payload_left == 0)
        {
            c->in_payload = 0;
            on_frame_end(c, at);
        }
    }
}

static void start_connect(conn *c);

static void on_open(conn *c, uint64_t at)
{
    c->state = ST_OPEN;
    connecting--;
    opened++;
    if (mode == MODE_ECHO)
    {
        for (int i = 0; i < inflight; i++)
            queue_echo(c, at);
        flush_echo(c);
    }
}

/* Finds a header's value in the response head (before end), case-insensitively; NULL when absent. */
static const char *find_header(const char *head, const char *end, const char *name)
{
    size_t length = strlen(name);
    for (const char *line = strstr(head, "\r\n"); line && line < end; line = strstr(line + 2, "\r\n"))
        if (strncasecmp(line + 2, name, length) == 0 && line[2 + length] == ':')
            return line + 3 + length;
    return NULL;
}

/* The 101 must accept the permessage-deflate offer; sets up zlib as it says. 0 (and the connection failed) if not. */
static int accept_deflate(conn *c, const char *end)
{
    const char *value = find_header(c->handshake, end, "Sec-WebSocket-Extensions");
    const char *eol = value ? strstr(value, "\r\n") : NULL;
    char accepted[256] = "";
    if (value && eol)
        snprintf(accepted, sizeof accepted, "%.*s", (int)(eol - value), value);
    if (strstr(accepted, "permessage-deflate") == NULL)
    {
        kill_conn(c, "the server did not accept permessage-deflate");
        return 0;
    }
    c->deflating = 1;
    /* Without takeover offered, or when the server says so, the client starts each message afresh. */
    c->deflate_reset = deflate_offer == DEFLATE_NO_TAKEOVER || strstr(accepted, "client_no_context_takeover") != NULL;
    if (deflateInit2(&c->deflater, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK ||
        inflateInit2(&c->inflater, -15) != Z_OK)
    {
        kill_conn(c, "zlib could not start");
        return 0;
    }
    return 1;
}

/* Reads the 101 response head; bytes after it are already websocket frames. */
static void on_handshake_bytes(conn *c, uint64_t at)
{
    ssize_t n = read(c->fd, c->handshake + c->handshake_len, 4095 - (size_t)c->handshake_len);
    if (n <= 0)
    {
        if (n < 0 && errno == EAGAIN)
            return;
        kill_conn(c, n == 0 ? "the server closed the connection during the handshake" : strerror(errno));
        return;
    }
    c->handshake_len += (int)n;
    c->handshake[c->handshake_len] = 0;
    char *end = strstr(c->handshake, "\r\n\r\n");
    if (end == NULL)
    {
        if (c->handshake_len >= 4095)
            kill_conn(c, "handshake response head too long");
        return;
    }
    if (strncmp(c->handshake, "HTTP/1.1 101", 12) != 0)
    {
        char *eol = strstr(c->handshake, "\r\n");
        *eol = 0;
        char why[200];
        snprintf(why, sizeof why, "upgrade refused: %.150s", c->handshake);
        kill_conn(c, why);
        return;
    }
    if (deflate_offer != DEFLATE_NONE && !accept_deflate(c, end))
        return;
    size_t head = (size_t)(end + 4 - c->handshake);
    size_t rest = (size_t)c->handshake_len - head;
    char *handshake = c->handshake;
    c->handshake = NULL;
    on_open(c, at);
    if (rest > 0)
        parse_frames(c, (uint8_t *)handshake + head, rest, at);
    free(handshake);
}

static char request_template[1024];

static void on_connected(conn *c)
{
    int error = 0;
    socklen_t len = sizeof error;
    getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &error, &len);
    if (error != 0)
    {
        kill_conn(c, strerror(error));
        return;
    }
    char request[1200];
    int n;
    if (mode == MODE_FANOUT)
        n = snprintf(request, sizeof request, request_template, room, c->index);
    else
        n = snprintf(request, sizeof request, "%s", request_template);
    if (write(c->fd, request, (size_t)n) != n)
    {
        kill_conn(c, "could not write the upgrade request");
        return;
    }
    c->state = ST_HANDSHAKE;
    c->handshake = malloc(4096);
    c->handshake_len = 0;
    set_events(c, EPOLLIN);
}

static void start_connect(conn *c)
{
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    inet_pton(AF_INET, host, &address.sin_addr);
    c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    if (c->fd < 0)
    {
        c->state = ST_DEAD;
        handshake_failures++;
        note_error("socket: %s", strerror(errno));
        return;
    }
    int one = 1;
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    c->state = ST_CONNECTING;
    c->head_need = 2;
    connecting++;
    struct epoll_event e = {.events = EPOLLOUT, .data.ptr = c};
    epoll_ctl(epoll_fd, EPOLL_CTL_ADD, c->fd, &e);
    if (connect(c->fd, (struct sockaddr *)&address, sizeof address) < 0 && errno != EINPROGRESS)
        kill_conn(c, strerror(errno));
}

/* Ends a socket with a reset: for sockets that did not finish the close handshake in time. */
static void reset_conn(conn *c)
{
    struct linger linger = {.l_onoff = 1, .l_linger = 0};
    setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &linger, sizeof linger);
    close(c->fd);
    c->state = ST_DEAD;
}

static int closing;

/*
 * The close handshake (RFC 6455 5.5.1) on every open socket: a close frame with 1000, then wait for
 * the server's close and its end of the connection. Servers then finish their sessions normally:
 * a reset would make some of them log a stack trace per socket (10,000 after the idle workload),
 * which would land in the next workload's measurement. Sockets still open after the timeout are reset.
 */
static void close_all(double timeout_s)
{
    static const uint8_t normal[2] = {0x03, 0xe8};
    for (int i = 0; i < connections; i++)
    {
        conn *c = &conns[i];
        if (c->state == ST_OPEN)
        {
            send_small(c, 0x8, normal, 2);
            if (c->state == ST_OPEN)
            {
                c->state = ST_CLOSING;
                closing++;
            }
        }
        else if (c->state == ST_CONNECTING || c->state == ST_HANDSHAKE)
            reset_conn(c);
    }
    uint64_t until = now_ns() + (uint64_t)(timeout_s * 1e9);
    struct epoll_event events[512];
    static uint8_t discard[1 << 16];
    while (closing > 0 && now_ns() < until)
    {
        int n = epoll_wait(epoll_fd, events, 512, 50);
        for (int i = 0; i < n; i++)
        {
            conn *c = events[i].data.ptr;
            if (c == NULL || c->state != ST_CLOSING)
                continue;
            ssize_t r = read(c->fd, discard, sizeof discard);
            if (r == 0 || (r < 0 && errno != EAGAIN))
            {
                close(c->fd); /* the server closed first, so TIME_WAIT stays on its side */
                c->state = ST_DEAD;
                closing--;
            }
        }
    }
    for (int i = 0; i < connections; i++)
        if (conns[i].state == ST_CLOSING)
            reset_conn(&conns[i]);
}

static void handle(conn *c, uint32_t events, uint64_t at)
{
    static uint8_t buffer[1 << 18];
    if (c->state == ST_CONNECTING)
    {
        on_connected(c);
        return;
    }
    if (c->state == ST_HANDSHAKE)
    {
        on_handshake_bytes(c, at);
        if (c->state == ST_OPEN && mode == MODE_ECHO)
            flush_echo(c);
        return;
    }
    if (c->state != ST_OPEN)
        return;
    if (events & EPOLLIN)
    {
        ssize_t n = read(c->fd, buffer, sizeof buffer);
        if (n <= 0)
        {
            if (n < 0 && errno == EAGAIN)
                return;
            kill_conn(c, n == 0 ? "the server closed the connection" : strerror(errno));
            return;
        }
        bytes_in += (uint64_t)n;
        if (measuring)
            wire_in += (uint64_t)n;
        parse_frames(c, buffer, (size_t)n, now_ns());
    }
    if (c->state == ST_OPEN && mode == MODE_ECHO)
        flush_echo(c);
}

static double cpu_seconds(void)
{
    struct rusage u;
    getrusage(RUSAGE_SELF, &u);
    return (double)u.ru_utime.tv_sec + (double)u.ru_utime.tv_usec / 1e6 + (double)u.ru_stime.tv_sec + (double)u.ru_stime.tv_usec / 1e6;
}

static void usage(void)
{
    fprintf(stderr,
            "usage: wsload echo|idle|fanout|probe --port P [--host 127.0.0.1] [--path /ws/echo]\n"
            "  [--connections N] [--inflight K] [--size BYTES] [--text] [--warmup S] [--duration S]\n"
            "  [--room R] [--sender-interval-ms MS] [--connect-timeout S] [--max-connecting N]\n"
            "  [--chat] [--deflate none|takeover|no-takeover]\n");
    exit(64);
}

static void parse_args(int argc, char **argv)
{
    if (argc < 2)
        usage();
    if (!strcmp(argv[1], "echo"))
        mode = MODE_ECHO;
    else if (!strcmp(argv[1], "idle"))
        mode = MODE_IDLE;
    else if (!strcmp(argv[1], "fanout"))
        mode = MODE_FANOUT;
    else if (!strcmp(argv[1], "probe"))
        mode = MODE_PROBE;
    else
        usage();
    for (int i = 2; i < argc; i++)
    {
        const char *name = argv[i];
        if (!strcmp(name, "--text"))
        {
            text = 1;
            continue;
        }
        if (!strcmp(name, "--chat"))
        {
            chat = text = 1;
            continue;
        }
        if (i + 1 >= argc)
            usage();
        const char *value = argv[++i];
        if (!strcmp(name, "--host"))
            host = value;
        else if (!strcmp(name, "--port"))
            port = atoi(value);
        else if (!strcmp(name, "--path"))
            path = value;
        else if (!strcmp(name, "--connections"))
            connections = atoi(value);
        else if (!strcmp(name, "--inflight"))
            inflight = atoi(value);
        else if (!strcmp(name, "--size"))
            size = atoi(value);
        else if (!strcmp(name, "--warmup"))
            warmup_s = atof(value);
        else if (!strcmp(name, "--duration"))
            duration_s = atof(value);
        else if (!strcmp(name, "--room"))
            room = value;
        else if (!strcmp(name, "--sender-interval-ms"))
            sender_interval_ms = atof(value);
        else if (!strcmp(name, "--connect-timeout"))
            connect_timeout_s = atof(value);
        else if (!strcmp(name, "--max-connecting"))
            max_connecting = atoi(value);
        else if (!strcmp(name, "--deflate"))
        {
            if (!strcmp(value, "takeover"))
                deflate_offer = DEFLATE_TAKEOVER;
            else if (!strcmp(value, "no-takeover"))
                deflate_offer = DEFLATE_NO_TAKEOVER;
            else if (strcmp(value, "none"))
                usage();
        }
        else
            usage();
    }
    if (port <= 0 || connections <= 0 || inflight <= 0 || size < 0)
        usage();
    if (deflate_offer != DEFLATE_NONE && !(mode == MODE_ECHO && chat))
        usage(); /* compression is for the chat-event echo, whose frames are built per message */
    if (mode == MODE_PROBE)
        connections = 1;
}

static void phase(const char *name)
{
    printf("phase %s\n", name);
    fflush(stdout);
}

int main(int argc, char **argv)
{
    parse_args(argc, argv);
    signal(SIGPIPE, SIG_IGN);
    const char *key = "dGhlIHNhbXBsZSBub25jZQ=="; /* any base64 of 16 bytes will do; the server only hashes it */
    if (mode == MODE_FANOUT)
        snprintf(request_template, sizeof request_template,
                 "GET /ws/chat?room=%%s&name=m%%d HTTP/1.1\r\nHost: %s:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                 "Origin: http://%s:%d\r\nSec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n",
                 host, port, host, port, key);
    else
        snprintf(request_template, sizeof request_template,
                 "GET %s HTTP/1.1\r\nHost: %s:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                 "Origin: http://%s:%d\r\nSec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n%s\r\n",
                 path, host, port, host, port, key,
                 deflate_offer == DEFLATE_TAKEOVER      ? "Sec-WebSocket-Extensions: permessage-deflate\r\n"
                 : deflate_offer == DEFLATE_NO_TAKEOVER ? "Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover; client_no_context_takeover\r\n"
                                                        : "");

    uint8_t *payload = malloc((size_t)size + 1);
    for (int i = 0; i < size; i++)
        payload[i] = (uint8_t)('a' + i % 26);
    frame_len = (size_t)size + 6 + (size < 126 ? 0 : size < 65536 ? 2 : 8);
    frames = malloc(frame_len * (size_t)(inflight + 1));
    for (int i = 0; i <= inflight; i++)
        build_frame(frames + frame_len * (size_t)i, text ? 1 : 2, payload, (size_t)size);
    free(payload);

    epoll_fd = epoll_create1(0);
    conns = calloc((size_t)connections, sizeof *conns);
    uint64_t *rings = mode == MODE_ECHO ? calloc((size_t)connections * (size_t)inflight, sizeof *rings) : NULL;
    uint32_t *sizes = mode == MODE_ECHO && chat ? calloc((size_t)connections * (size_t)inflight, sizeof *sizes) : NULL;
    if (chat)
        build_chat_events();
    for (int i = 0; i < connections; i++)
    {
        conns[i].index = i;
        conns[i].state = ST_DEAD;
        conns[i].sent_at = rings ? rings + (size_t)i * (size_t)inflight : NULL;
        conns[i].sent_size = sizes ? sizes + (size_t)i * (size_t)inflight : NULL;
        conns[i].next_event = (uint32_t)i * 37u; /* connections start at different places in the list */
    }
    if (mode == MODE_IDLE)
    {
        struct epoll_event e = {.events = EPOLLIN, .data.ptr = NULL};
        epoll_ctl(epoll_fd, EPOLL_CTL_ADD, 0, &e); /* stdin closing ends the hold */
    }

    const int max_events = 512;
    struct epoll_event events[512];
    uint64_t start = now_ns(), connected_at = 0, measure_from = 0, measure_until = 0;
    double cpu_from = 0, measured_s = 0;
    int done = 0;
    fanout_senders = connections < 16 ? connections : 16;
    fanout_min_gap_ns = (uint64_t)(sender_interval_ms * 1e6 / fanout_senders);

    while (!done)
    {
        uint64_t now = now_ns();
        /* Open connections, at most max_connecting handshakes at a time. */
        while (next_to_connect < connections && connecting < max_connecting)
            start_connect(&conns[next_to_connect++]);
        int all_settled = next_to_connect == connections && connecting == 0;
        if (!connected_at && (all_settled || now - start > (uint64_t)(connect_timeout_s * 1e9)))
        {
            connected_at = now;
            if (mode == MODE_PROBE)
                break;
            if (opened == 0)
                break;
            if (mode == MODE_IDLE)
                phase("connected");
            measure_from = now + (uint64_t)(warmup_s * 1e9);
            measure_until = measure_from + (uint64_t)(duration_s * 1e9);
        }
        if (connected_at && mode != MODE_IDLE)
        {
            if (!measuring && now >= measure_from && (mode != MODE_FANOUT || fanout_ready || now - connected_at > 10000000000ull))
            {
                measuring = 1;
                messages = 0;
                wire_in = wire_out = 0;
                memset(histogram, 0, sizeof histogram);
                histogram_count = histogram_max = 0;
                cpu_from = cpu_seconds();
                measure_from = now;
                measure_until = now + (uint64_t)(duration_s * 1e9);
                phase("measure");
            }
            if (measuring && now >= measure_until)
            {
                measured_s = (double)(now - measure_from) / 1e9;
                break;
            }
            if (opened == 0)
            {
                measured_s = measuring ? (double)(now - measure_from) / 1e9 : 0;
                break;
            }
            if (mode == MODE_FANOUT && (fanout_ready || now - connected_at > 10000000000ull))
            {
                if (fanout_waiting && now - fanout_sent_at > (uint64_t)(delivery_timeout_s * 1e9))
                {
                    fanout_lost++;
                    fanout_waiting = 0;
                    fanout_next_at = now;
                    note_error("%s", "a chat message did not reach every member within the timeout");
                }
                if (!fanout_waiting && now >= fanout_next_at)
                    fanout_send(now);
            }
        }
        int timeout = 50;
        if (mode == MODE_FANOUT && !fanout_waiting && fanout_next_at > now)
        {
            int until = (int)((fanout_next_at - now) / 1000000);
            timeout = until < timeout ? until : timeout;
        }
        int n = epoll_wait(epoll_fd, events, max_events, timeout);
        uint64_t at = now_ns();
        for (int i = 0; i < n; i++)
        {
            if (events[i].data.ptr == NULL)
            {
                char discard[256];
                if (read(0, discard, sizeof discard) <= 0)
                    done = 1;
                continue;
            }
            handle(events[i].data.ptr, events[i].events, at);
        }
    }
    double cpu = measuring ? cpu_seconds() - cpu_from : 0;
    phase("done");
    if (mode != MODE_PROBE)
        close_all(5);

    if (mode == MODE_PROBE)
    {
        conn *c = &conns[0];
        int ok = c->state == ST_OPEN;
        printf("result {\"mode\":\"probe\",\"upgraded\":%s,\"error\":\"%s\"}\n", ok ? "true" : "false", ok ? "" : first_error);
        return ok ? 0 : 2;
    }
    /* JSON-safe error text: the messages above contain no quotes or backslashes but a status line might. */
    for (char *p = first_error; *p; p++)
        if (*p == '"' || *p == '\\' || (unsigned char)*p < 0x20)
            *p = '\'';
    printf("result {\"mode\":\"%s\",\"connections\":%d,\"open\":%d,\"inflight\":%d,\"size\":%d,\"text\":%s,"
           "\"seconds\":%.3f,\"messages\":%llu,\"rate\":%.1f,\"p50_us\":%llu,\"p99_us\":%llu,\"max_us\":%llu,"
           "\"samples\":%llu,\"handshake_failures\":%d,\"dropped\":%d,\"lost\":%llu,\"wrong_size\":%llu,\"client_cpu_s\":%.3f,"
           "\"wire_out_bytes\":%llu,\"wire_in_bytes\":%llu,\"chat_mean_bytes\":%.1f,\"deflate\":\"%s\",\"error\":\"%s\"}\n",
           argv[1], connections, opened, inflight, size, text ? "true" : "false", measured_s,
           (unsigned long long)messages, measured_s > 0 ? (double)messages / measured_s : 0.0,
           (unsigned long long)percentile(50), (unsigned long long)percentile(99), (unsigned long long)histogram_max,
           (unsigned long long)histogram_count, handshake_failures, dropped, (unsigned long long)fanout_lost, (unsigned long long)wrong_size, cpu,
           (unsigned long long)wire_out, (unsigned long long)wire_in, chat ? (double)chat_payload_total / CHAT_EVENTS : 0.0,
           deflate_offer == DEFLATE_TAKEOVER ? "takeover" : deflate_offer == DEFLATE_NO_TAKEOVER ? "no-takeover" : "none", first_error);
    fflush(stdout);
    return 0;
}
