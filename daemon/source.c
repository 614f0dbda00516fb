#include "source.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

ssize_t source_read_fd(void *ctx, void *buf, size_t n)
{
    int fd = *(const int *)ctx;
    for (;;) {
        ssize_t got = read(fd, buf, n);
        if (got >= 0 || errno != EINTR)
            return got;
    }
}

ssize_t source_read_mem(void *ctx, void *buf, size_t n)
{
    source_mem *m = ctx;
    size_t left = m->len - m->pos;
    if (n > left)
        n = left;
    if (m->step && n > m->step)
        n = m->step;
    memcpy(buf, m->bytes + m->pos, n);
    m->pos += n;
    return (ssize_t)n;
}
