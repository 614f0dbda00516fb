/*
 * drop_latency.c - how long a running daemon takes to clean a dropped file.
 *
 *   drop_latency IN_DIR OUT_DIR PAGE COUNT RATE
 *
 * Writes COUNT copies of PAGE into IN_DIR at RATE files a second, and
 * watches OUT_DIR with inotify.  A drop's latency runs from the return of
 * its close() to the IN_MOVED_TO of its output (the daemon writes outputs
 * to a temporary name and renames them); an output whose only event is
 * IN_CLOSE_WRITE (written in place) counts from that instead, and the
 * figures say how many did.  Outputs are matched to drops by name: the drop
 * "drop-00042.html" owns any output whose name starts with "drop-00042.".
 *
 * Before timing, warm-up files are dropped until one comes out, so the
 * daemon's start-up is not measured.  Prints p50, p99 and max.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <time.h>
#include <unistd.h>

/* Longest wait for the daemon to start, and for the last outputs. */
#define READY_TIMEOUT_S 20.0
#define DRAIN_TIMEOUT_S 10.0
#define WARMUP_INTERVAL_S 0.5

typedef struct drop {
    double closed;    /* when close() returned */
    double renamed;   /* IN_MOVED_TO of its output; 0: none yet */
    double written;   /* IN_CLOSE_WRITE of its output; 0: none yet */
} drop;

typedef struct bench {
    const char *in_dir;
    const char *page;
    size_t      page_len;
    int         inotify_fd;
    drop       *drops;
    int         count;
    int         warm;      /* a warm-up output came out */
} bench;

static void die(const char *what, const char *detail)
{
    fprintf(stderr, "drop_latency: %s: %s\n", what, detail);
    exit(1);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static char *read_page(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        die(path, strerror(errno));
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    char *data = malloc(n > 0 ? (size_t)n : 1);
    if (!data || fread(data, 1, (size_t)n, f) != (size_t)n)
        die(path, "cannot read");
    fclose(f);
    *len = (size_t)n;
    return data;
}

/* Writes the page under `name` in one go; returns when close() has. */
static void write_drop(const bench *b, const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", b->in_dir, name);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        die(path, strerror(errno));
    size_t off = 0;
    while (off < b->page_len) {
        ssize_t w = write(fd, b->page + off, b->page_len - off);
        if (w < 0)
            die(path, strerror(errno));
        off += (size_t)w;
    }
    if (close(fd) < 0)
        die(path, strerror(errno));
}

static void on_output(bench *b, const struct inotify_event *ev, double t)
{
    if (!ev->len)
        return;
    if (strncmp(ev->name, "warmup-", 7) == 0) {
        b->warm = 1;
        return;
    }
    int i;
    char dot;
    if (sscanf(ev->name, "drop-%5d%c", &i, &dot) != 2 || dot != '.' || i < 0 || i >= b->count)
        return;
    drop *d = &b->drops[i];
    if ((ev->mask & IN_MOVED_TO) && !d->renamed)
        d->renamed = t;
    else if ((ev->mask & IN_CLOSE_WRITE) && !d->written)
        d->written = t;
}

/* Reads inotify events until `deadline` (monotonic seconds). */
static void watch_until(bench *b, double deadline)
{
    char buf[64 * 1024] __attribute__((aligned(__alignof__(struct inotify_event))));
    for (;;) {
        double left = deadline - now();
        if (left <= 0)
            return;
        struct pollfd p = { .fd = b->inotify_fd, .events = POLLIN };
        int ms = (int)(left * 1000) + 1;
        if (poll(&p, 1, ms) <= 0)
            continue;
        ssize_t n = read(b->inotify_fd, buf, sizeof buf);
        double t = now();
        for (ssize_t off = 0; off < n;) {
            const struct inotify_event *ev = (const struct inotify_event *)(buf + off);
            on_output(b, ev, t);
            off += (ssize_t)(sizeof *ev + ev->len);
        }
    }
}

static int warm_up(bench *b)
{
    double give_up = now() + READY_TIMEOUT_S;
    for (int k = 0; !b->warm && now() < give_up; k++) {
        char name[64];
        snprintf(name, sizeof name, "warmup-%d.html", k);
        write_drop(b, name);
        watch_until(b, now() + WARMUP_INTERVAL_S);
    }
    return b->warm;
}

static int all_out(const bench *b)
{
    for (int i = 0; i < b->count; i++)
        if (!b->drops[i].renamed && !b->drops[i].written)
            return 0;
    return 1;
}

static int cmp_double(const void *x, const void *y)
{
    double a = *(const double *)x, c = *(const double *)y;
    return (a > c) - (a < c);
}

static void report(const bench *b, double rate)
{
    double *ms = malloc((size_t)b->count * sizeof *ms);
    if (!ms)
        die("memory", "out of memory");
    int n = 0, in_place = 0;
    for (int i = 0; i < b->count; i++) {
        const drop *d = &b->drops[i];
        double out = d->renamed ? d->renamed : d->written;
        if (!out)
            continue;
        in_place += !d->renamed;
        ms[n++] = (out - d->closed) * 1000;
    }
    printf("    %d drops of %.1f KB at %.0f/s: %d outputs", b->count,
           (double)b->page_len / 1024, rate, n);
    if (in_place)
        printf(" (%d written in place, not renamed)", in_place);
    printf("\n");
    if (n > 0) {
        qsort(ms, (size_t)n, sizeof *ms, cmp_double);
        printf("    close -> rename: p50 %.2f ms   p99 %.2f ms   max %.2f ms   target p99 < 20 ms\n",
               ms[n / 2], ms[(n * 99 + 99) / 100 - 1], ms[n - 1]);
    }
    free(ms);
}

int main(int argc, char **argv)
{
    if (argc != 6) {
        fprintf(stderr, "usage: drop_latency IN_DIR OUT_DIR PAGE COUNT RATE\n");
        return 2;
    }
    bench b = { .in_dir = argv[1], .count = atoi(argv[4]) };
    double rate = atof(argv[5]);
    if (b.count < 1 || rate <= 0)
        die("arguments", "COUNT and RATE must be positive");
    b.page = read_page(argv[3], &b.page_len);
    b.drops = calloc((size_t)b.count, sizeof *b.drops);
    b.inotify_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (!b.drops || b.inotify_fd < 0 ||
        inotify_add_watch(b.inotify_fd, argv[2], IN_MOVED_TO | IN_CLOSE_WRITE) < 0)
        die(argv[2], strerror(errno));
    if (!warm_up(&b)) {
        printf("    failed: no output in %s within %.0f s of dropping files\n", argv[2],
               READY_TIMEOUT_S);
        return 1;
    }
    double start = now();
    for (int i = 0; i < b.count; i++) {
        watch_until(&b, start + i / rate);
        char name[64];
        snprintf(name, sizeof name, "drop-%05d.html", i);
        write_drop(&b, name);
        b.drops[i].closed = now();
    }
    double give_up = now() + DRAIN_TIMEOUT_S;
    while (!all_out(&b) && now() < give_up)
        watch_until(&b, now() + 0.1);
    report(&b, rate);
    close(b.inotify_fd);
    free(b.drops);
    free((void *)b.page);
    return 0;
}
