/*
 * An independent SAM_V (GA 467) peer, for checking the kiosk's ID card driver and simulator from outside.
 *
 * Written in C from the published byte vectors and layouts in shared/reference/devices.md section 1 only:
 * it shares no code, no tables and no language with devices/idcard. Two roles:
 *
 *   emulator pty LINK [CARD_AFTER]   a SAM module on a pseudo-terminal; LINK becomes a symlink to the
 *                                    slave; prints "READY <slave path>"; the card appears after
 *                                    CARD_AFTER find-card requests (default 2)
 *   emulator tcp PORT [CARD_AFTER]   the same on 127.0.0.1:PORT (0 = any); prints "READY <port>"
 *   client HOST PORT nocard|card     a host that sends the published request frames and compares every
 *                                    reply byte with the published (or, for the 1295-byte read, the
 *                                    independently built) reply; prints PASS/FAIL lines, exit 0 if all pass
 *
 * The card is the GB 11643 standard's example person (devices.md 1.5's synthetic vector): 张三, male,
 * nation 01, born 1949-12-31, number 11010519491231002X, plus the address, issuer and validity below.
 */
#define _DEFAULT_SOURCE
#define _XOPEN_SOURCE 600
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

typedef unsigned char u8;

/* ---- the card, laid out as devices.md 1.6 says (UTF-16LE fields padded with U+0020) ---- */
static const char *NAME = "张三", *GENDER = "1", *NATION = "01", *BIRTH = "19491231",
                  *ADDRESS = "北京市西城区示例胡同1号", *NUMBER = "11010519491231002X",
                  *ISSUER = "北京市公安局西城分局", *FROM = "20150101", *UNTIL = "20350101";

/* UTF-8 (BMP only) to UTF-16LE into dst[0..n), padding with spaces. */
static void put_field(u8 *dst, int n, const char *utf8) {
    int o = 0;
    const u8 *s = (const u8 *)utf8;
    while (*s && o + 1 < n) {
        unsigned cp;
        if (*s < 0x80) cp = *s++;
        else if ((*s & 0xE0) == 0xC0) { cp = ((s[0] & 0x1F) << 6) | (s[1] & 0x3F); s += 2; }
        else { cp = ((s[0] & 0x0F) << 12) | ((s[1] & 0x3F) << 6) | (s[2] & 0x3F); s += 3; }
        dst[o++] = cp & 0xFF;
        dst[o++] = cp >> 8;
    }
    while (o + 1 < n) { dst[o++] = 0x20; dst[o++] = 0x00; }
}

static void build_text(u8 text[256]) {
    put_field(text + 0, 30, NAME);
    put_field(text + 30, 2, GENDER);
    put_field(text + 32, 4, NATION);
    put_field(text + 36, 16, BIRTH);
    put_field(text + 52, 70, ADDRESS);
    put_field(text + 122, 36, NUMBER);
    put_field(text + 158, 30, ISSUER);
    put_field(text + 188, 16, FROM);
    put_field(text + 204, 16, UNTIL);
    put_field(text + 220, 36, "");
}

/* ---- frames (devices.md 1.2): AA AA AA 96 69 | LEN_H LEN_L | body | CHK, CHK = XOR of LEN_H..body end ---- */
static int frame(u8 *out, const u8 *body, int body_len) {
    int len = body_len + 1, n = 0;
    u8 chk = 0;
    out[n++] = 0xAA; out[n++] = 0xAA; out[n++] = 0xAA; out[n++] = 0x96; out[n++] = 0x69;
    out[n++] = len >> 8; out[n++] = len & 0xFF;
    memcpy(out + n, body, body_len);
    n += body_len;
    for (int i = 5; i < n; i++) chk ^= out[i];
    out[n++] = chk;
    return n;
}

static int response(u8 *out, u8 sw3, const u8 *data, int data_len) {
    u8 body[4096];
    body[0] = 0; body[1] = 0; body[2] = sw3;
    if (data_len) memcpy(body + 3, data, data_len);
    return frame(out, body, 3 + data_len);
}

static int read_reply(u8 *out) { /* devices.md 1.5: 01 00 | 04 00 | 256 text | 1024 photo */
    u8 data[4 + 256 + 1024];
    memset(data, 0, sizeof data);
    data[0] = 0x01; data[1] = 0x00; data[2] = 0x04; data[3] = 0x00;
    build_text(data + 4);
    return response(out, 0x90, data, sizeof data);
}

static int hex(const char *s, u8 *out) {
    int n = 0;
    unsigned v;
    while (sscanf(s, " %2x", &v) == 1) { out[n++] = (u8)v; s += 2; while (*s == ' ') s++; }
    return n;
}

static int write_all(int fd, const u8 *p, int n) {
    while (n > 0) {
        ssize_t k = write(fd, p, n);
        if (k < 0) { if (errno == EINTR) continue; return -1; }
        p += k; n -= (int)k;
    }
    return 0;
}

/* ---- emulator ---- */
static int serve(int fd, int card_after) {
    static u8 buf[16384];
    int have = 0, finds = 0, selected = 0;
    for (;;) {
        ssize_t k = read(fd, buf + have, sizeof buf - have);
        if (k <= 0) { if (k < 0 && errno == EINTR) continue; return 0; }
        have += (int)k;
        for (;;) { /* the receiver algorithm of devices.md 1.2: preamble, 2 length bytes, LEN more */
            int start = -1;
            for (int i = 0; i + 5 <= have; i++)
                if (!memcmp(buf + i, "\xAA\xAA\xAA\x96\x69", 5)) { start = i; break; }
            if (start < 0) { if (have > 4) { memmove(buf, buf + have - 4, 4); have = 4; } break; }
            memmove(buf, buf + start, have - start);
            have -= start;
            if (have < 7) break;
            int len = (buf[5] << 8) | buf[6];
            if (len < 3 || len > 4096) { memmove(buf, buf + 1, --have); continue; }
            if (have < 7 + len) break;
            u8 chk = 0, out[4096];
            int n;
            for (int i = 5; i < 6 + len; i++) chk ^= buf[i];
            u8 cmd = buf[7], para = buf[8];
            int card = finds >= card_after;
            if (chk != buf[6 + len]) n = response(out, 0x10, NULL, 0);
            else if ((cmd == 0x10 || cmd == 0x11) && para == 0xFF) n = response(out, 0x90, NULL, 0);
            else if (cmd == 0x12 && para == 0xFF) {
                u8 id[16] = {7, 0, 2, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
                n = response(out, 0x90, id, 16);
            } else if (cmd == 0x20 && para == 0x01) {
                u8 four[4] = {0, 0, 0, 0};
                finds++;
                n = card ? response(out, 0x9F, four, 4) : response(out, 0x80, NULL, 0);
            } else if (cmd == 0x20 && para == 0x02) {
                u8 eight[8] = {0};
                selected = card;
                n = card ? response(out, 0x90, eight, 8) : response(out, 0x81, NULL, 0);
            } else if (cmd == 0x30 && para == 0x01) {
                n = selected ? read_reply(out) : response(out, 0x41, NULL, 0);
                selected = 0;
            } else if (cmd == 0x30 && para == 0x03) n = response(out, 0x91, NULL, 0);
            else n = response(out, 0x21, NULL, 0);
            memmove(buf, buf + 7 + len, have - 7 - len);
            have -= 7 + len;
            if (write_all(fd, out, n) < 0) return 0;
        }
    }
}

static int emulator(int argc, char **argv) {
    int card_after = argc > 4 ? atoi(argv[4]) : 2;
    if (!strcmp(argv[2], "pty")) {
        int m = posix_openpt(O_RDWR | O_NOCTTY);
        if (m < 0 || grantpt(m) || unlockpt(m)) { perror("pty"); return 1; }
        const char *slave = ptsname(m);
        int keep = open(slave, O_RDWR | O_NOCTTY); /* hold the slave: the master never sees EIO */
        struct termios t;
        tcgetattr(keep, &t);
        cfmakeraw(&t);
        tcsetattr(keep, TCSANOW, &t);
        unlink(argv[3]);
        if (symlink(slave, argv[3])) { perror("symlink"); return 1; }
        printf("READY %s\n", slave);
        fflush(stdout);
        serve(m, card_after);
        return 0;
    }
    int s = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    struct sockaddr_in a = {0};
    socklen_t al = sizeof a;
    a.sin_family = AF_INET;
    a.sin_port = htons(atoi(argv[3]));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(s, (struct sockaddr *)&a, sizeof a) || listen(s, 1)) { perror("listen"); return 1; }
    getsockname(s, (struct sockaddr *)&a, &al);
    printf("READY %d\n", ntohs(a.sin_port));
    fflush(stdout);
    for (;;) {
        int c = accept(s, NULL, NULL);
        if (c < 0) continue;
        setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        serve(c, card_after);
        close(c);
    }
}

/* ---- client ---- */
static int failures = 0;

static int read_frame(int fd, u8 *out) { /* read 7, check preamble, read LEN more; 2 s per frame */
    int have = 0, need = 7;
    while (have < need) {
        struct pollfd p = {fd, POLLIN, 0};
        if (poll(&p, 1, 2000) <= 0) return -1;
        ssize_t k = read(fd, out + have, need - have);
        if (k <= 0) return -1;
        have += (int)k;
        if (have == 7) {
            if (memcmp(out, "\xAA\xAA\xAA\x96\x69", 5)) return -1;
            need = 7 + ((out[5] << 8) | out[6]);
            if (need > 4096) return -1;
        }
    }
    return have;
}

static void check(int fd, const char *what, const char *request_hex, const u8 *expect, int expect_len) {
    u8 req[64], got[4096];
    int rn = hex(request_hex, req);
    write_all(fd, req, rn);
    int n = read_frame(fd, got);
    if (n > 0 && n == expect_len && !memcmp(got, expect, (size_t)n)) { printf("PASS %s (%d bytes)\n", what, n); return; }
    failures++;
    printf("FAIL %s: got %d bytes:", what, n);
    for (int i = 0; i < n && i < 24; i++) printf(" %02X", got[i]);
    printf("%s\n", n > 24 ? " ..." : "");
    int first = -1;
    for (int i = 0; i < n && i < expect_len; i++) if (got[i] != expect[i]) { first = i; break; }
    if (first >= 0) printf("     first difference at byte %d: got %02X, expected %02X\n", first, got[first], expect[first]);
}

static void check_hex(int fd, const char *what, const char *request_hex, const char *reply_hex) {
    u8 expect[64];
    check(fd, what, request_hex, expect, hex(reply_hex, expect));
}

static int client(char **argv) {
    int s = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_port = htons(atoi(argv[3]));
    inet_pton(AF_INET, argv[2], &a.sin_addr);
    if (connect(s, (struct sockaddr *)&a, sizeof a)) { perror("connect"); return 2; }
    setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    const char *OK = "AA AA AA 96 69 00 04 00 00 90 94";
    if (!strcmp(argv[4], "nocard")) {
        check_hex(s, "SAM status 11 FF -> generic OK", "AA AA AA 96 69 00 03 11 FF ED", OK);
        check_hex(s, "reset SAM 10 FF -> generic OK", "AA AA AA 96 69 00 03 10 FF EC", OK);
        check_hex(s, "find card without a card -> 80", "AA AA AA 96 69 00 03 20 01 22",
                  "AA AA AA 96 69 00 04 00 00 80 84");
        check_hex(s, "select without a card -> 81", "AA AA AA 96 69 00 03 20 02 21",
                  "AA AA AA 96 69 00 04 00 00 81 85");
        check_hex(s, "read without a card -> 41", "AA AA AA 96 69 00 03 30 01 32",
                  "AA AA AA 96 69 00 04 00 00 41 45");
        check_hex(s, "request with a wrong checksum -> 10", "AA AA AA 96 69 00 03 20 01 23",
                  "AA AA AA 96 69 00 04 00 00 10 14");
        check_hex(s, "noise before a request is skipped", "00 FF 13 AA 96 AA AA AA 96 69 00 03 11 FF ED", OK);
    } else {
        u8 expect[1400];
        check_hex(s, "find card -> 9F", "AA AA AA 96 69 00 03 20 01 22",
                  "AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97");
        check_hex(s, "select card -> 90 + 8 bytes", "AA AA AA 96 69 00 03 20 02 21",
                  "AA AA AA 96 69 00 0C 00 00 90 00 00 00 00 00 00 00 00 9C");
        int n = read_reply(expect);
        check(s, "read text+photo 30 01 -> the 1295-byte frame for the standard's example card",
              "AA AA AA 96 69 00 03 30 01 32", expect, n);
        check_hex(s, "appended address 30 03 without one -> 91", "AA AA AA 96 69 00 03 30 03 30",
                  "AA AA AA 96 69 00 04 00 00 91 95");
    }
    close(s);
    printf("%s\n", failures ? "SOME CHECKS FAILED" : "ALL CHECKS PASSED");
    return failures ? 1 : 0;
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc >= 4 && !strcmp(argv[1], "emulator")) return emulator(argc, argv);
    if (argc >= 5 && !strcmp(argv[1], "client")) return client(argv);
    fprintf(stderr, "usage: %s emulator pty LINK [CARD_AFTER] | emulator tcp PORT [CARD_AFTER] | "
                    "client HOST PORT nocard|card\n", argv[0]);
    return 2;
}
