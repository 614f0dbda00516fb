#include "names.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

int names_output(const char *rel, const char *ext, char **out, cl_error *err)
{
    *out = NULL;
    size_t len = strlen(rel), ext_len = strlen(ext);
    const char *slash = strrchr(rel, '/');
    size_t leaf = len - (slash ? (size_t)(slash + 1 - rel) : 0);
    if (leaf + ext_len > NAME_MAX)
        return cl_fail(err, "output name too long: %zu bytes, the limit is %d",
                       leaf + ext_len, NAME_MAX);
    if (len + ext_len >= PATH_MAX)
        return cl_fail(err, "path too long: %zu bytes, the limit is %d",
                       len + ext_len, PATH_MAX - 1);
    char *s = malloc(len + ext_len + 1);
    if (!s)
        return cl_fail(err, "out of memory");
    memcpy(s, rel, len);
    memcpy(s + len, ext, ext_len + 1);
    *out = s;
    return 0;
}
