/*
 * url.h - absolute URLs from the relative ones pages give (RFC 3986, 5.2).
 *
 * Pages name their canonical URL, og:url and images relative to <base
 * href> or to the URL they were fetched from: "/a/b", "../b", "//cdn/x",
 * "?page=2".  cl_url_resolve() merges a reference with a base and removes
 * dot segments; it neither percent-encodes nor lowercases anything.
 *
 * Costs: linear in the lengths; no state.
 */
#ifndef CLEANER_URL_H
#define CLEANER_URL_H

#include <stddef.h>
#include "buf.h"

/* 1 when s starts with a scheme ("https:", "mailto:"): RFC 3986 3.1. */
int cl_url_has_scheme(const char *s, size_t len);

/*
 * Appends `ref` resolved against `base` to out.  A ref with a scheme is
 * taken as it is; a NULL, empty or scheme-less base leaves a relative ref
 * relative.  Returns 1 when what it appended is absolute, 0 when not, -1
 * on allocation failure.
 */
int cl_url_resolve(const char *base, const char *ref, cl_buf *out);

/*
 * The host of an absolute URL, without a leading "www." and the port:
 * "https://www.example.co.uk:8080/x" -> "example.co.uk".  0 and the span
 * in url, or -1 when it has none.
 */
int cl_url_host(const char *url, size_t *start, size_t *len);

#endif
