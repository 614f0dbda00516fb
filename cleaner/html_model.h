/*
 * html_model.h - the flat page model the HTML reader works on.
 *
 * One walk over the Gumbo tree (html_walk.h) turns the page into two arrays
 * in document order: the block-level elements kept after pruning (nodes) and
 * the text blocks found in them (blocks), whose text lives in one buffer.
 * Nodes are in pre-order, so a node's subtree is the index range
 * [i, node_end) and its blocks are [blk_first, blk_end): every later stage
 * (scoring, selection, emission) is a linear pass over these arrays, never a
 * second walk of the tree.
 *
 * Ownership: a cl_hpage owns its arrays and text; cl_hpage_free() releases
 * them.  Nothing in it points into the Gumbo tree.
 */
#ifndef CLEANER_HTML_MODEL_H
#define CLEANER_HTML_MODEL_H

#include <stddef.h>
#include <stdint.h>
#include "buf.h"
#include "doc.h"

#define CL_HNONE ((uint32_t)-1)

/* cl_hnode.flags */
enum {
    CL_HN_ARTICLE    = 1u << 0,  /* <article> */
    CL_HN_MAIN       = 1u << 1,  /* <main> or role=main */
    CL_HN_BODYPROP   = 1u << 2,  /* itemprop=articleBody */
    CL_HN_BLOCKKIDS  = 1u << 3,  /* has block-level element children */
    CL_HN_SECTIONING = 1u << 4,  /* header, footer or form: chrome unless it
                                    turns out to hold the article */
    CL_HN_CHROME     = 1u << 5,  /* hidden, or class/id/role named by an attr
                                    rule: chrome unless it holds the article */
    CL_HN_DEAD       = 1u << 6,  /* inside chrome, as finally decided */
    CL_HN_CHOSEN     = 1u << 7,  /* chosen whole as (part of) the content */
};

/* Fields are ordered so that no padding is left: a page of tiny paragraphs
 * has a node and a block per 8 input bytes. */
typedef struct cl_hnode {
    uint32_t parent;     /* CL_HNONE for the root */
    uint32_t node_end;   /* one past the last node of the subtree */
    uint32_t blk_first;  /* blocks of the subtree: [blk_first, blk_end) */
    uint32_t blk_end;
    uint32_t class_hash; /* of the class attribute, 0 when none */
    uint32_t attr_off;   /* class and id, lower-cased, in cl_hpage.attrs */
    uint32_t attr_len;   /* (cut to CL_HNODE_ATTR_MAX bytes); 0 when none */
    uint16_t tag;        /* GumboTag */
    uint16_t flags;
    const char *chrome;  /* why it is chrome: an attr rule's name (borrowed
                            from the rules) or "hidden"; NULL otherwise */
    double   score;      /* content score; 0 until scored */
} cl_hnode;

/* cl_hblock.flags */
enum {
    CL_HB_KEEP  = 1u << 0,       /* chosen as main content */
    CL_HB_MERGED = 1u << 1,      /* folded into a table row block */
    CL_HB_DEAD  = 1u << 2,       /* inside chrome */
    CL_HB_FIGURE = 1u << 3,      /* a figure's caption: about an image, not
                                    part of the text */
};

/* cl_hblock.dropped_as, for --explain */
typedef enum cl_hdrop {
    CL_HDROP_OUTSIDE = 0,  /* not in the chosen content */
    CL_HDROP_CHROME,       /* in a chrome node (its cl_hnode.chrome says why) */
    CL_HDROP_SECTIONING,   /* header, footer or form inside the content */
    CL_HDROP_BOX,          /* a link-heavy or empty box inside the content */
} cl_hdrop;

/*
 * Offsets into the page text are 32-bit: it holds each block's text once
 * and a table row's twice, a few times the input at most, and no input
 * cl_clean() takes (CL_MAX_INPUT_BYTES) comes near 4 GiB.  The walk fails
 * rather than wrap past CL_HPAGE_TEXT_MAX.
 */
#define CL_HPAGE_TEXT_MAX UINT32_MAX

typedef struct cl_hblock {
    uint32_t node;       /* innermost block-level element holding the text */
    uint32_t off, len;   /* text in cl_hpage.text */
    uint32_t link_len;   /* bytes of that text inside links */
    uint32_t commas;     /* set by selection */
    float    value;      /* paragraph score, set by selection */
    uint16_t flags;
    uint8_t  kind;       /* cl_block_kind */
    uint8_t  level;
    uint8_t  dropped_as; /* cl_hdrop: why selection left it out */
} cl_hblock;

typedef struct cl_hpage {
    cl_hnode  *nodes;
    size_t     nnodes, node_cap;
    cl_hblock *blocks;
    size_t     nblocks, block_cap;
    cl_buf     text;
    cl_buf     attrs;    /* the nodes' class and id strings */
} cl_hpage;

/* A node's class and id kept for the block model's features: the first
 * words of long ones are what names a box. */
#define CL_HNODE_ATTR_MAX 96

static inline const char *cl_hnode_attrs(const cl_hpage *pg, const cl_hnode *n)
{
    return pg->attrs.data + n->attr_off;
}

void cl_hpage_free(cl_hpage *pg);

static inline const char *cl_hblock_text(const cl_hpage *pg, const cl_hblock *b)
{
    return pg->text.data + b->off;
}

#endif
