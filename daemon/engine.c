#include "engine.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fileio.h"
#include "log.h"
#include "render.h"
#include "rules.h"
#include "rules_cache.h"
#include "settings.h"

/* A rules file is hand-written INI; megabytes would be a mistake. */
#define ENGINE_MAX_RULES_BYTES (4u << 20)
/* A trained model lists tens of thousands of weights, a megabyte or two. */
#define ENGINE_MAX_MODEL_BYTES (64u << 20)

static int is_rules_file(const struct dirent *e)
{
    size_t n = strlen(e->d_name);
    return e->d_name[0] != '.' && n > 6 && strcmp(e->d_name + n - 6, ".rules") == 0;
}

static int load_rules_file(cl_rules *rules, const char *dir, const char *name,
                           cl_error *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    cl_buf text = CL_BUF_INIT;
    int rc = fileio_read_path(path, ENGINE_MAX_RULES_BYTES, &text, err);
    if (rc != 0) {
        char cause[CL_ERROR_MAX];
        snprintf(cause, sizeof cause, "%s", err ? err->msg : "");
        rc = cl_fail(err, "%s: %s", path, cause);
    } else {
        rc = cl_rules_load(rules, path, cl_buf_cstr(&text), text.len, err);
    }
    cl_buf_free(&text);
    return rc;
}

static cl_rules *load_rules(const config *cfg, cl_error *err)
{
    const char *dir = cfg->rules_dir;
    cl_rules *rules = cl_rules_new();
    if (!rules) {
        cl_fail(err, "out of memory");
        return NULL;
    }
    if (!dir)
        return rules;
    rules_cache_offer(cfg->cache_dir, rules);
    struct dirent **list;
    int n = scandir(dir, &list, is_rules_file, alphasort);
    if (n < 0) {
        char where[4200];
        cl_fail(err, "%s%s: cannot read rules folder: %s",
                config_origin(cfg, CONFIG_RULES_DIR, where, sizeof where), dir,
                strerror(errno));
        cl_rules_free(rules);
        return NULL;
    }
    if (n == 0) {
        char where[4200];
        log_warn("%s%s: no *.rules files in the rules folder: only the classifier "
                 "removes chrome", config_origin(cfg, CONFIG_RULES_DIR, where, sizeof where),
                 dir);
    }
    int rc = 0;
    for (int i = 0; i < n; i++) {
        if (rc == 0)
            rc = load_rules_file(rules, dir, list[i]->d_name, err);
        free(list[i]);
    }
    free(list);
    if (rc != 0) {
        cl_rules_free(rules);
        return NULL;
    }
    return rules;
}

/* The block model the config names; *out NULL when it names none. */
static int load_model(const config *cfg, cl_model **out, cl_error *err)
{
    *out = NULL;
    if (!cfg->model_file)
        return 0;
    cl_buf text = CL_BUF_INIT;
    int rc = fileio_read_path(cfg->model_file, ENGINE_MAX_MODEL_BYTES, &text, err);
    if (rc != 0) {
        char cause[CL_ERROR_MAX];
        snprintf(cause, sizeof cause, "%s", err ? err->msg : "cannot read");
        cl_buf_free(&text);
        return cl_fail(err, "%s: %s", cfg->model_file, cause);
    }
    *out = cl_model_load(cfg->model_file, cl_buf_cstr(&text), text.len, err);
    cl_buf_free(&text);
    return *out ? 0 : -1;
}

cl_cleaner *engine_new(const config *cfg, cl_error *err)
{
    cl_model *model;
    if (load_model(cfg, &model, err) < 0)
        return NULL;
    cl_rules *rules = load_rules(cfg, err);
    if (!rules) {
        cl_model_free(model);
        return NULL;
    }
    /* Here rather than in cl_cleaner_new() (a second call keeps the
     * index): the cache is written from what it compiled. */
    if (cl_rules_prepare(rules) == 0)
        rules_cache_update(cfg->cache_dir, rules);
    cl_cleaner *c = cl_cleaner_new(&cfg->options, rules);
    if (!c) {
        cl_model_free(model);
        cl_fail(err, "cannot create the cleaner: out of memory");
        return NULL;
    }
    cl_cleaner_set_model(c, model);
    return c;
}

/* The library does not log: a rule whose search gave up at its PCRE2
 * budget says so in its block's reason (rules.h), and is logged here. */
static int gave_up(const cl_block *b)
{
    return b->reason && strstr(b->reason, ": gave up (match limit)") != NULL;
}

static void count_blocks(const cl_doc *doc, const char *source, engine_stats *stats)
{
    size_t limited = 0;
    stats->blocks = doc->nblocks;
    stats->blocks_dropped = 0;
    for (size_t i = 0; i < doc->nblocks; i++) {
        stats->blocks_dropped += doc->blocks[i].decision == CL_DROP;
        limited += gave_up(&doc->blocks[i]);
    }
    if (limited)
        log_debug("%s: a rule gave up at its match limit on %zu blocks (counted as no match)",
                  source ? source : "<input>", limited);
}

int engine_clean(const cl_cleaner *c, const engine_request *rq, cl_buf *out,
                 cl_buf *explain_out, engine_stats *stats, cl_error *err)
{
    cl_doc *doc = NULL;
    const cl_input in = {
        .bytes = rq->bytes, .len = rq->len, .name_hint = rq->name_hint,
        .url = rq->url, .charset = rq->charset, .fetch_time = rq->fetch_time,
        .now = (long long)time(NULL),   /* per document: a daemon runs for weeks */
    };
    if (cl_clean_input(c, &in, &doc, err) < 0)
        return -1;
    count_blocks(doc, rq->source, stats);
    stats->status = cl_doc_status(doc, rq->min_body_chars, &stats->body_chars);
    int rc = 0;
    if (rq->format == OUTPUT_JSON)
        rc = cl_render_json(doc, rq->source, stats->status, rq->explain, out);
    else if (stats->status == CL_STATUS_OK)
        rc = cl_render_text(doc, out);
    if (rc == 0 && rq->explain && rq->format == OUTPUT_TEXT && explain_out)
        rc = cl_render_explain(doc, explain_out);
    cl_doc_free(doc);
    if (rc < 0)
        return cl_fail(err, "out of memory while rendering");
    return 0;
}

void engine_no_article_cause(const engine_stats *stats, size_t min_body_chars,
                             char *buf, size_t size)
{
    if (stats->body_chars == 0)
        snprintf(buf, size, "no article: empty body");
    else
        snprintf(buf, size, "no article: %zu character%s, min_body_chars is %zu",
                 stats->body_chars, stats->body_chars == 1 ? "" : "s", min_body_chars);
}

int engine_setup(const char *config_path, const cli_args *a, config *cfg,
                 cl_cleaner **out)
{
    cl_error err = { "" };
    if (settings_load(cfg, config_path, a, &err) < 0) {
        log_error("%s", err.msg);
        return 2;
    }
    log_set_level(cfg->log_level);
    *out = engine_new(cfg, &err);
    if (!*out) {
        log_error("%s", err.msg);
        config_free(cfg);
        return 2;
    }
    return 0;
}
