/*
 * ceiling_server: the fastest trivial server this benchmark can make, to measure each load
 * generator's ceiling. A row whose server comes within 80% of what the generator drives through
 * this server is client-bound: the generator, not the server, set the figure.
 *
 * One thread, epoll, no framework. It answers just enough of the Demo protocol for the benchmark
 * workloads: GET /plaintext, POST /echo (Content-Length bodies), pipelined requests (answered in
 * one write per read), and WS /ws/echo (RFC 6455 handshake, echo of every frame with the same
 * opcode, pong, close). Anything else is 404.
 *
 *   ceiling_server PORT     prints "listening PORT" once it accepts connections
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

typedef struct buffer
{
    uint8_t *data;
    size_t length, capacity;
} buffer;

typedef struct client
{
    int fd, websocket, watching_out;
    buffer in, out;
} client;

static void reserve(buffer *b, size_t extra)
{
    if (b->length + extra <= b->capacity)
        return;
    size_t capacity = b->capacity ? b->capacity : 16384;
    while (capacity < b->length + extra)
        capacity *= 2;
    b->data = realloc(b->data, capacity);
    b->capacity = capacity;
}

static void append(buffer *b, const void *data, size_t length)
{
    reserve(b, length);
    memcpy(b->data + b->length, data, length);
    b->length += length;
}

static void consume(buffer *b, size_t length)
{
    memmove(b->data, b->data + length, b->length - length);
    b->length -= length;
}

/* ---- SHA-1 and base64, for Sec-WebSocket-Accept only ---- */
static uint32_t rol(uint32_t v, int n) { return (v << n) | (v >> (32 - n)); }

static void sha1(const uint8_t *message, size_t length, uint8_t digest[20])
{
    uint32_t h[5] = {0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0};
    size_t padded = ((length + 8) / 64 + 1) * 64;
    uint8_t *m = calloc(padded, 1);
    memcpy(m, message, length);
    m[length] = 0x80;
    uint64_t bits = (uint64_t)length * 8;
    for (int i = 0; i < 8; i++)
        m[padded - 1 - i] = (uint8_t)(bits >> (8 * i));
    for (size_t chunk = 0; chunk < padded; chunk += 64)
    {
        uint32_t w[80];
        for (int i = 0; i < 16; i++)
            w[i] = (uint32_t)m[chunk + 4 * i] << 24 | (uint32_t)m[chunk + 4 * i + 1] << 16 | (uint32_t)m[chunk + 4 * i + 2] << 8 | m[chunk + 4 * i + 3];
        for (int i = 16; i < 80; i++)
            w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
        uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
        for (int i = 0; i < 80; i++)
        {
            uint32_t f, k;
            if (i < 20) f = (b & c) | (~b & d), k = 0x5A827999;
            else if (i < 40) f = b ^ c ^ d, k = 0x6ED9EBA1;
            else if (i < 60) f = (b & c) | (b & d) | (c & d), k = 0x8F1BBCDC;
            else f = b ^ c ^ d, k = 0xCA62C1D6;
            uint32_t t = rol(a, 5) + f + e + k + w[i];
            e = d, d = c, c = rol(b, 30), b = a, a = t;
        }
        h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e;
    }
    free(m);
    for (int i = 0; i < 20; i++)
        digest[i] = (uint8_t)(h[i / 4] >> (24 - 8 * (i % 4)));
}

static void base64(const uint8_t *in, size_t length, char *out)
{
    static const char table[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t o = 0;
    for (size_t i = 0; i < length; i += 3)
    {
        uint32_t v = (uint32_t)in[i] << 16 | (i + 1 < length ? (uint32_t)in[i + 1] << 8 : 0) | (i + 2 < length ? in[i + 2] : 0);
        out[o++] = table[(v >> 18) & 63];
        out[o++] = table[(v >> 12) & 63];
        out[o++] = i + 1 < length ? table[(v >> 6) & 63] : '=';
        out[o++] = i + 2 < length ? table[v & 63] : '=';
    }
    out[o] = 0;
}

/* ---- HTTP ---- */
static const char plaintext_response[] = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n\r\nHello, World!";
static const char not_found_response[] = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n";

static const char *header_value(const char *head, const char *end, const char *name)
{
    size_t length = strlen(name);
    for (const char *line = strstr(head, "\r\n"); line && line + 2 < end; line = strstr(line + 2, "\r\n"))
        if (strncasecmp(line + 2, name, length) == 0 && line[2 + length] == ':')
        {
            const char *value = line + 3 + length;
            while (*value == ' ')
                value++;
            return value;
        }
    return NULL;
}

/* Answers every complete request in the buffer; returns 0 when the connection must close. */
static int serve_http(client *c)
{
    while (c->in.length > 0 && !c->websocket)
    {
        reserve(&c->in, 1);
        c->in.data[c->in.length] = 0;
        char *head = (char *)c->in.data;
        char *end = strstr(head, "\r\n\r\n");
        if (end == NULL)
            return c->in.length < 65536;
        size_t head_length = (size_t)(end + 4 - head);
        const char *length_value = header_value(head, end, "Content-Length");
        size_t body = length_value ? strtoul(length_value, NULL, 10) : 0;
        if (c->in.length < head_length + body)
            return 1;
        const char *key = header_value(head, end, "Sec-WebSocket-Key");
        if (strncmp(head, "GET /plaintext ", 15) == 0)
            append(&c->out, plaintext_response, sizeof plaintext_response - 1);
        else if (strncmp(head, "POST /echo ", 11) == 0)
        {
            char status[128];
            int n = snprintf(status, sizeof status, "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: %zu\r\n\r\n", body);
            append(&c->out, status, (size_t)n);
            append(&c->out, head + head_length, body);
        }
        else if (strncmp(head, "GET /ws/echo", 12) == 0 && key)
        {
            char joined[128], accept[32];
            uint8_t digest[20];
            const char *key_end = strstr(key, "\r\n");
            int n = snprintf(joined, sizeof joined, "%.*s258EAFA5-E914-47DA-95CA-C5AB0DC85B11", (int)(key_end - key), key);
            sha1((uint8_t *)joined, (size_t)n, digest);
            base64(digest, 20, accept);
            char response[256];
            n = snprintf(response, sizeof response, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: %s\r\n\r\n", accept);
            append(&c->out, response, (size_t)n);
            c->websocket = 1;
        }
        else
            append(&c->out, not_found_response, sizeof not_found_response - 1);
        consume(&c->in, head_length + body);
    }
    return 1;
}

/* ---- websocket: unmask each client frame and send it back unmasked ---- */
static int serve_websocket(client *c)
{
    while (c->in.length >= 2)
    {
        uint8_t *p = c->in.data;
        int len7 = p[1] & 0x7f;
        size_t head = 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0) + ((p[1] & 0x80) ? 4 : 0);
        if (c->in.length < head)
            return 1;
        uint64_t length = (uint64_t)len7;
        if (len7 == 126)
            length = (uint64_t)p[2] << 8 | p[3];
        else if (len7 == 127)
        {
            length = 0;
            for (int i = 0; i < 8; i++)
                length = length << 8 | p[2 + i];
        }
        if (c->in.length < head + length)
            return 1;
        uint8_t *mask = (p[1] & 0x80) ? p + head - 4 : NULL;
        uint8_t *payload = p + head;
        if (mask)
            for (uint64_t i = 0; i < length; i++)
                payload[i] ^= mask[i & 3];
        int opcode = p[0] & 0x0f;
        uint8_t out_head[10];
        size_t n = 0;
        out_head[n++] = (uint8_t)((p[0] & 0x80) | (opcode == 0x9 ? 0xA : opcode));
        if (length < 126)
            out_head[n++] = (uint8_t)length;
        else if (length < 65536)
            out_head[n++] = 126, out_head[n++] = (uint8_t)(length >> 8), out_head[n++] = (uint8_t)length;
        else
        {
            out_head[n++] = 127;
            for (int i = 7; i >= 0; i--)
                out_head[n++] = (uint8_t)(length >> (8 * i));
        }
        if (opcode != 0xA)
        {
            append(&c->out, out_head, n);
            append(&c->out, payload, (size_t)length);
        }
        consume(&c->in, head + (size_t)length);
        if (opcode == 0x8)
            return 0;
    }
    return 1;
}

static int flush(client *c)
{
    while (c->out.length > 0)
    {
        ssize_t n = write(c->fd, c->out.data, c->out.length);
        if (n < 0)
            return errno == EAGAIN ? 1 : 0;
        consume(&c->out, (size_t)n);
    }
    return 1;
}

static void drop(int epoll_fd, client *c)
{
    epoll_ctl(epoll_fd, EPOLL_CTL_DEL, c->fd, NULL);
    close(c->fd);
    free(c->in.data);
    free(c->out.data);
    free(c);
}

int main(int argc, char **argv)
{
    if (argc != 2)
    {
        fprintf(stderr, "usage: ceiling_server PORT\n");
        return 64;
    }
    signal(SIGPIPE, SIG_IGN);
    int listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0), one = 1;
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(argv[1]))};
    inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
    if (bind(listener, (struct sockaddr *)&address, sizeof address) < 0 || listen(listener, 4096) < 0)
    {
        perror("ceiling_server: bind/listen");
        return 1;
    }
    socklen_t address_length = sizeof address;
    getsockname(listener, (struct sockaddr *)&address, &address_length);
    int epoll_fd = epoll_create1(0);
    struct epoll_event e = {.events = EPOLLIN, .data.ptr = NULL};
    epoll_ctl(epoll_fd, EPOLL_CTL_ADD, listener, &e);
    printf("listening %d\n", ntohs(address.sin_port));
    fflush(stdout);

    static uint8_t scratch[1 << 16];
    struct epoll_event events[256];
    for (;;)
    {
        int n = epoll_wait(epoll_fd, events, 256, -1);
        for (int i = 0; i < n; i++)
        {
            client *c = events[i].data.ptr;
            if (c == NULL)
            {
                int fd;
                while ((fd = accept4(listener, NULL, NULL, SOCK_NONBLOCK)) >= 0)
                {
                    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                    client *fresh = calloc(1, sizeof *fresh);
                    fresh->fd = fd;
                    struct epoll_event ce = {.events = EPOLLIN, .data.ptr = fresh};
                    epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &ce);
                }
                continue;
            }
            int keep = 1;
            if (events[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR))
            {
                ssize_t r = read(c->fd, scratch, sizeof scratch);
                if (r == 0 || (r < 0 && errno != EAGAIN))
                    keep = 0;
                else if (r > 0)
                {
                    append(&c->in, scratch, (size_t)r);
                    keep = serve_http(c) && (!c->websocket || serve_websocket(c));
                }
            }
            keep = flush(c) && keep;
            if (!keep)
            {
                drop(epoll_fd, c);
                continue;
            }
            /* Wait for room in the socket only while something is queued. */
            if (c->watching_out != (c->out.length > 0))
            {
                c->watching_out = c->out.length > 0;
                struct epoll_event ce = {.events = EPOLLIN | (c->watching_out ? EPOLLOUT : 0), .data.ptr = c};
                epoll_ctl(epoll_fd, EPOLL_CTL_MOD, c->fd, &ce);
            }
        }
    }
}
