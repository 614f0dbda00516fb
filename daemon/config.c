#include "config.h"

#include <errno.h>
#include <ini.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "fileio.h"
#include "rules_cache.h"

/* A worker (the cleaner, Gumbo, the rule index) needs tens of megabytes of
 * address space before its first file: below this it dies at once. */
#define CONFIG_MIN_WORKER_MEMORY ((size_t)64 << 20)

/* A config file is a few kilobytes; anything far larger is a mistake. */
#define CONFIG_MAX_BYTES (1u << 20)

/* Debian's libinih reads at most INI_MAX_LINE - 1 bytes a line and parses
 * the rest as a line of its own: a longer line (a long path) would be cut
 * into a wrong value, so it is refused by number instead. */
#define CONFIG_MAX_LINE 199

void config_init(config *c)
{
    memset(c, 0, sizeof *c);
    c->format = OUTPUT_TEXT;
    /* Under a short sentence: what is left of a page that was all chrome
     * ("Page not found", a cookie notice), not an article. */
    c->min_body_chars = 25;
    c->max_input_bytes = 16u << 20;
    c->worker_memory_bytes = (size_t)1 << 30;
    c->worker_cpu_seconds = 30;
    c->settle_ms = 1000;
    c->rescan_interval = 300;
    c->log_level = LOG_LEVEL_INFO;
    c->cache_dir = rules_cache_default_dir();
    cl_options_init(&c->options);
}

void config_free(config *c)
{
    free(c->path);
    free(c->input_dir);
    free(c->output_dir);
    free(c->done_dir);
    free(c->failed_dir);
    free(c->rules_dir);
    free(c->model_file);
    free(c->cache_dir);
    memset(c, 0, sizeof *c);
}

int config_set_path(char **field, const char *value)
{
    char *copy = NULL;
    if (value && !(copy = strdup(value)))
        return -1;
    free(*field);
    *field = copy;
    return 0;
}

const char *output_format_ext(output_format f)
{
    return f == OUTPUT_JSON ? ".json" : ".txt";
}

int output_format_parse(const char *s, output_format *out)
{
    if (strcmp(s, "text") == 0)
        *out = OUTPUT_TEXT;
    else if (strcmp(s, "json") == 0)
        *out = OUTPUT_JSON;
    else
        return -1;
    return 0;
}

int config_jobs(const config *c)
{
    if (c->jobs > 0)
        return c->jobs;
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}

/* ---- parsing values ---- */

typedef struct parse_state {
    config     *c;
    const char *dir;      /* folder of the config file, for relative paths */
    int         model_set;  /* a model key was read, if only "none" */
    char        cause[CL_ERROR_MAX];
} parse_state;

/* Records why an entry is refused; returns 0, which stops inih. */
static int bad(parse_state *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int bad(parse_state *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->cause, sizeof s->cause, fmt, ap);
    va_end(ap);
    return 0;
}

/* A size with an optional K, M or G suffix (powers of 1024). */
static int parse_size(const char *v, size_t *out)
{
    char *end;
    errno = 0;
    unsigned long long n = strtoull(v, &end, 10);
    if (errno || end == v || v[0] == '-')
        return -1;
    unsigned shift = 0;
    switch (*end) {
    case 'k': case 'K': shift = 10; end++; break;
    case 'm': case 'M': shift = 20; end++; break;
    case 'g': case 'G': shift = 30; end++; break;
    default: break;
    }
    if (*end || n > (SIZE_MAX >> shift))
        return -1;
    *out = (size_t)(n << shift);
    return 0;
}

static int parse_int(const char *v, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (errno || end == v || *end || n < lo || n > hi)
        return -1;
    *out = n;
    return 0;
}

static int parse_bool(const char *v, int *out)
{
    if (!strcasecmp(v, "true") || !strcasecmp(v, "yes") || !strcmp(v, "1") || !strcasecmp(v, "on"))
        *out = 1;
    else if (!strcasecmp(v, "false") || !strcasecmp(v, "no") || !strcmp(v, "0") || !strcasecmp(v, "off"))
        *out = 0;
    else
        return -1;
    return 0;
}

static int parse_double(const char *v, double lo, double hi, double *out)
{
    char *end;
    errno = 0;
    double d = strtod(v, &end);
    if (errno || end == v || *end || !(d >= lo && d <= hi))
        return -1;
    *out = d;
    return 0;
}

/* Sets *field to value resolved against the config's folder; "" clears. */
static int set_dir(parse_state *s, char **field, const char *value)
{
    if (!*value)
        return config_set_path(field, NULL) == 0 ? 1 : bad(s, "out of memory");
    char *joined = NULL;
    if (value[0] != '/' && s->dir) {
        size_t n = strlen(s->dir) + 1 + strlen(value) + 1;
        if (!(joined = malloc(n)))
            return bad(s, "out of memory");
        snprintf(joined, n, "%s/%s", s->dir, value);
    }
    int rc = config_set_path(field, joined ? joined : value);
    free(joined);
    return rc == 0 ? 1 : bad(s, "out of memory");
}

static int set_input_format(parse_state *s, const char *v)
{
    static const char *const names[] = { "text", "markdown", "html" };
    if (strcmp(v, "auto") == 0) {
        s->c->options.force_format = 0;
        return 1;
    }
    for (int i = 0; i < 3; i++) {
        if (strcmp(v, names[i]) == 0) {
            s->c->options.force_format = 1 + i;
            return 1;
        }
    }
    return bad(s, "input_format: '%s' is not auto, text, markdown or html%s", v, "");
}

static int cleaner_key(parse_state *s, const char *k, const char *v)
{
    config *c = s->c;
    long n;
    if (!strcmp(k, "input_dir"))  return set_dir(s, &c->input_dir, v);
    if (!strcmp(k, "output_dir")) return set_dir(s, &c->output_dir, v);
    if (!strcmp(k, "done_dir"))   return set_dir(s, &c->done_dir, v);
    if (!strcmp(k, "failed_dir")) return set_dir(s, &c->failed_dir, v);
    if (!strcmp(k, "rules_dir"))  return set_dir(s, &c->rules_dir, v);
    if (!strcmp(k, "cache_dir"))  return set_dir(s, &c->cache_dir, v);
    if (!strcmp(k, "model")) {
        s->model_set = 1;
        return set_dir(s, &c->model_file, strcmp(v, "none") == 0 ? "" : v);
    }
    if (!strcmp(k, "input_format")) return set_input_format(s, v);
    if (!strcmp(k, "format"))
        return output_format_parse(v, &c->format) == 0 ? 1
               : bad(s, "format: '%s' is not text or json%s", v, "");
    if (!strcmp(k, "explain"))
        return parse_bool(v, &c->explain) == 0 ? 1
               : bad(s, "explain: '%s' is not true or false%s", v, "");
    if (!strcmp(k, "detect_language")) {
        int on;
        if (parse_bool(v, &on) < 0)
            return bad(s, "detect_language: '%s' is not true or false%s", v, "");
        c->options.skip_lang_detection = !on;
        return 1;
    }
    if (!strcmp(k, "log_level"))
        return log_level_parse(v, &c->log_level) == 0 ? 1
               : bad(s, "log_level: '%s' is not error, warn, info or debug%s", v, "");
    if (!strcmp(k, "min_body_chars")) {
        if (parse_int(v, 0, CONFIG_MAX_BODY_CHARS, &n) < 0)
            return bad(s, "min_body_chars: '%s' is not a number from 0 to %d", v,
                       CONFIG_MAX_BODY_CHARS);
        c->min_body_chars = (size_t)n;
        return 1;
    }
    if (!strcmp(k, "jobs")) {
        if (parse_int(v, 0, 256, &n) < 0)
            return bad(s, "jobs: '%s' is not a number from 0 to 256%s", v, "");
        c->jobs = (int)n;
        return 1;
    }
    if (!strcmp(k, "worker_cpu_seconds")) {
        if (parse_int(v, 0, 86400, &n) < 0)
            return bad(s, "worker_cpu_seconds: '%s' is not a number of seconds%s", v, "");
        c->worker_cpu_seconds = (unsigned)n;
        return 1;
    }
    if (!strcmp(k, "max_input_bytes")) {
        if (parse_size(v, &c->max_input_bytes) < 0 || c->max_input_bytes == 0)
            return bad(s, "max_input_bytes: '%s' is not a size (like 16M)%s", v, "");
        return 1;
    }
    if (!strcmp(k, "worker_memory")) {
        if (parse_size(v, &c->worker_memory_bytes) < 0)
            return bad(s, "worker_memory: '%s' is not a size (like 1G, 0 for none)%s", v, "");
        if (c->worker_memory_bytes && c->worker_memory_bytes < CONFIG_MIN_WORKER_MEMORY)
            return bad(s, "worker_memory: '%s' is too small for a worker to start "
                       "(at least 64M, or 0 for none)%s", v, "");
        return 1;
    }
    if (!strcmp(k, "settle_ms")) {
        if (parse_int(v, 0, 600000, &n) < 0)
            return bad(s, "settle_ms: '%s' is not a number of milliseconds%s", v, "");
        c->settle_ms = (unsigned)n;
        return 1;
    }
    if (!strcmp(k, "rescan_interval")) {
        if (parse_int(v, 0, 86400, &n) < 0)
            return bad(s, "rescan_interval: '%s' is not a number of seconds%s", v, "");
        c->rescan_interval = (unsigned)n;
        return 1;
    }
    return bad(s, "unknown key '%s' in [cleaner]%s", k, "");
}

static int classifier_key(parse_state *s, const char *k, const char *v)
{
    cl_classify_options *o = &s->c->options.classify;
    long n;
    if (!strcmp(k, "max_link_density"))
        return parse_double(v, 0.0, 1.0, &o->max_link_density) == 0 ? 1
               : bad(s, "max_link_density: '%s' is not a number from 0 to 1%s", v, "");
    int *target = !strcmp(k, "body_min_words")     ? &o->body_min_words
                : !strcmp(k, "headline_min_words") ? &o->headline_min_words
                : !strcmp(k, "headline_max_words") ? &o->headline_max_words
                : NULL;
    if (!target)
        return bad(s, "unknown key '%s' in [classifier]%s", k, "");
    if (parse_int(v, 0, 100000, &n) < 0)
        return bad(s, "%s: '%s' is not a number of words", k, v);
    *target = (int)n;
    return 1;
}

/* Line of the last "key =" of [section] in text, or 0.  inih does not pass
 * line numbers to handlers (INI_HANDLER_LINENO is off in Debian's build). */
static unsigned line_of_key(const char *text, const char *section, const char *key)
{
    size_t klen = strlen(key), slen = strlen(section);
    unsigned line = 1, found = 0;
    int in_section = 0;
    for (const char *p = text; *p; line++) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '[')
            in_section = strncmp(p + 1, section, slen) == 0 && p[1 + slen] == ']';
        else if (in_section && strncmp(p, key, klen) == 0
                 && p[klen + strspn(p + klen, " \t")] == '=')
            found = line;
        p += strcspn(p, "\n");
        if (*p)
            p++;
    }
    return found;
}

static const char *const folder_keys[CONFIG_FOLDERS] = {
    "input_dir", "output_dir", "done_dir", "failed_dir", "rules_dir",
};

static void find_folder_lines(config *c, const char *text)
{
    for (int f = 0; f < CONFIG_FOLDERS; f++) {
        unsigned line = line_of_key(text, "cleaner", folder_keys[f]);
        if (line)
            c->folder_line[f] = line;
    }
}

const char *config_origin(const config *c, config_folder f, char *buf, size_t size)
{
    if (c->path && c->folder_line[f])
        snprintf(buf, size, "%s:%u: ", c->path, c->folder_line[f]);
    else if (size)
        buf[0] = '\0';
    return buf;
}

/* Without a model key: model/blocks.model beside the config file, when
 * there is one (as for the rules, a missing default means none). */
static int default_model_file(config *c, const char *dir)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/model/blocks.model", dir);
    if (access(path, F_OK) < 0)
        return 0;
    return config_set_path(&c->model_file, path);
}

/* Without a rules_dir key: the "rules" folder beside the config file, when
 * there is one (a missing default folder means no rules, not an error). */
static int default_rules_dir(config *c, const char *dir)
{
    char path[4096];
    struct stat st;
    snprintf(path, sizeof path, "%s/rules", dir);
    if (stat(path, &st) < 0 || !S_ISDIR(st.st_mode))
        return 0;
    return config_set_path(&c->rules_dir, path);
}

static int on_ini_entry(void *user, const char *section, const char *key,
                        const char *value)
{
    parse_state *s = user;
    if (s->cause[0])
        return 0;
    if (!strcmp(section, "cleaner"))
        return cleaner_key(s, key, value);
    if (!strcmp(section, "classifier"))
        return classifier_key(s, key, value);
    return bad(s, "unknown section [%s]%s", section, "");
}

static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return strdup(".");
    if (slash == path)
        return strdup("/");
    return strndup(path, (size_t)(slash - path));
}

/* The 1-based number of the first line longer than CONFIG_MAX_LINE, or 0. */
static unsigned overlong_line(const char *text)
{
    unsigned line = 1;
    for (const char *p = text; *p; line++) {
        size_t n = strcspn(p, "\n");
        if (n > CONFIG_MAX_LINE)
            return line;
        p += n;
        if (*p)
            p++;
    }
    return 0;
}

int config_load(config *c, const char *path, cl_error *err)
{
    cl_buf text = CL_BUF_INIT;
    if (fileio_read_path(path, CONFIG_MAX_BYTES, &text, err) != 0) {
        char cause[CL_ERROR_MAX];
        snprintf(cause, sizeof cause, "%s", err ? err->msg : "cannot read");
        cl_buf_free(&text);
        return cl_fail(err, "%s: %s", path, cause);
    }
    unsigned overlong = overlong_line(cl_buf_cstr(&text));
    if (overlong) {
        cl_buf_free(&text);
        return cl_fail(err, "%s:%u: line longer than %d bytes, the INI parser's limit: "
                       "use a shorter path (a symlink, or a relative one)",
                       path, overlong, CONFIG_MAX_LINE);
    }
    config next = *c;
    /* Strings are shared with *c until copied: duplicate them first. */
    next.path = NULL;
    next.input_dir = next.output_dir = next.done_dir = NULL;
    next.failed_dir = next.rules_dir = next.model_file = next.cache_dir = NULL;
    parse_state s = { .c = &next, .dir = NULL, .cause = "" };
    char *dir = dir_of(path);
    if (!dir || config_set_path(&next.path, path) < 0
        || config_set_path(&next.input_dir, c->input_dir) < 0
        || config_set_path(&next.output_dir, c->output_dir) < 0
        || config_set_path(&next.done_dir, c->done_dir) < 0
        || config_set_path(&next.failed_dir, c->failed_dir) < 0
        || config_set_path(&next.rules_dir, c->rules_dir) < 0
        || config_set_path(&next.model_file, c->model_file) < 0
        || config_set_path(&next.cache_dir, c->cache_dir) < 0) {
        free(dir);
        config_free(&next);
        cl_buf_free(&text);
        return cl_fail(err, "%s: out of memory", path);
    }
    s.dir = dir;
    int line = ini_parse_string(cl_buf_cstr(&text), on_ini_entry, &s);
    if (line == 0) {
        find_folder_lines(&next, cl_buf_cstr(&text));
        if (!next.rules_dir && default_rules_dir(&next, dir) < 0)
            line = -1;
        if (!s.model_set && !next.model_file && default_model_file(&next, dir) < 0)
            line = -1;
    }
    cl_buf_free(&text);
    free(dir);
    if (line != 0) {
        config_free(&next);
        if (line < 0)
            return cl_fail(err, "%s: cannot parse", path);
        return cl_fail(err, "%s:%d: %s", path, line,
                       s.cause[0] ? s.cause : "syntax error (expected key = value or [section])");
    }
    config_free(c);
    *c = next;
    return 0;
}

static int file_exists(const char *path)
{
    return access(path, F_OK) == 0;
}

char *config_find(cl_error *err)
{
    if (err)
        err->msg[0] = '\0';
    const char *env = getenv("CLEANER_CONFIG");
    if (env && *env) {
        if (!file_exists(env)) {
            cl_fail(err, "%s (from CLEANER_CONFIG): %s", env, strerror(errno));
            return NULL;
        }
        return strdup(env);
    }
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            char candidate[PATH_MAX + 32];
            snprintf(candidate, sizeof candidate, "%s/../config/cleaner.conf", exe);
            if (file_exists(candidate))
                return strdup(candidate);
        }
    }
    const char *system_wide = CLEANER_SYSCONFDIR "/cleaner/cleaner.conf";
    if (file_exists(system_wide))
        return strdup(system_wide);
    return NULL;
}
