/*
 * date.h - dates as pages write them, to ISO 8601.
 *
 * Pure functions on caller buffers: no allocation, no clock, no global
 * state.  "Now" is always the caller's (cl_options.now, or the fetch time
 * of the input), so the same page gives the same date on any day.
 *
 *   cl_date_parse()     one date string (a meta tag, JSON-LD, a datetime
 *                       attribute): ISO 8601, RFC 2822, or any form
 *                       cl_date_scan() knows
 *   cl_date_scan()      the next date in free text ("7. Juni 2020",
 *                       "June 7th, 2020", "2020年6月7日", "07.06.2020"),
 *                       with month names in about twenty languages, and
 *                       whether the words before it mark an update
 *   cl_date_from_url()  /2020/06/07/, /2020-06-07-, /20200607/, and
 *                       /2020/06/ with the day unknown
 *   cl_date_iso()       "YYYY-MM-DD", "YYYY-MM-DDTHH:MM:SS" and the offset
 *                       when the source gave them
 *
 * Costs: every function is linear in its input; cl_date_scan() tries a
 * few tokens at each word start and compares each word of letters to the
 * month names (a few hundred short strings).  Callers scan short texts
 * (bylines, the blocks around a title), never a whole page.
 */
#ifndef CLEANER_DATE_H
#define CLEANER_DATE_H

#include <stddef.h>

/* Publication dates earlier than this are refused: the web of articles
 * starts in the mid-1990s, and older dates on a page are the subject
 * ("the 1969 landing"), not when it was written. */
#define CL_DATE_MIN_YEAR 1995

/* "2020-06-07T10:00:00+02:00" and its NUL. */
#define CL_DATE_ISO_MAX 32

typedef struct cl_date {
    int year, month, day;    /* day 0: unknown (a year/month URL) */
    int hour, minute, second;
    int offset_min;          /* minutes east of UTC */
    unsigned has_time : 1;
    unsigned has_offset : 1;
} cl_date;

/* Day-month order of an ambiguous numeric date ("7/6/2020", both parts
 * 12 or less): the caller knows the page's convention, when anyone does. */
typedef enum cl_date_order {
    CL_DATE_DMY = 0,         /* 7 June: most of the world */
    CL_DATE_MDY,             /* July 6: the United States */
} cl_date_order;

/*
 * 1 when d is a calendar day (day 0 allowed only with allow_no_day), not
 * before CL_DATE_MIN_YEAR, and not after `now` (seconds since the epoch;
 * a day of slack for time zones ahead of UTC).  now 0: no day is future.
 */
int cl_date_valid(const cl_date *d, long long now, int allow_no_day);

/*
 * Parses s[0..n) as one date: ISO 8601 ("2020-06-07", "2020-06-07T10:00Z",
 * "2020-06-07 10:00:00.000+0200", "20200607"), RFC 2822 ("Sun, 07 Jun
 * 2020 10:00:00 GMT") or, failing those, the first date cl_date_scan()
 * finds in it.  A time and offset are kept when they follow the date.
 * 1 and *d set, or 0 (no date, or not a calendar day).
 */
int cl_date_parse(const char *s, size_t n, cl_date_order order, cl_date *d);

typedef struct cl_date_hit {
    cl_date date;
    size_t  start, end;      /* the bytes of the text the date took */
    int     updated;         /* the words just before it mark an update
                                ("updated on", "aktualisiert", "mis à jour") */
} cl_date_hit;

/*
 * The first calendar date in s[from..n) (UTF-8), whole words only:
 * "2020-06-07", "07.06.2020", "7/6/2020" (by `order` when ambiguous),
 * "7. Juni 2020", "7 de junio de 2020", "June 7th, 2020", "Jun. 7, 2020",
 * "1er juin 2020", "7 июня 2020", "2020年6月7日", "2020년 6월 7일",
 * "2020. június 7.".  Years have four digits.  Dates that are no calendar
 * day are passed over; validity against "now" is the caller's.  1 and
 * *hit set, or 0.  Call again from hit->end for the next one.
 */
int cl_date_scan(const char *s, size_t n, size_t from, cl_date_order order,
                 cl_date_hit *hit);

/*
 * The date in a URL's path: /2020/06/07/, /2020-06-07/, /2020_06_07,
 * /20200607/ (1 and a full date), or /2020/06/ (1 and day 0).  The host
 * is skipped.  0 when none.
 */
int cl_date_from_url(const char *url, cl_date *d);

/* Writes d as ISO 8601 into out: the date, then "THH:MM:SS" with a time,
 * then "+HH:MM" with an offset ("Z" for UTC).  Returns the length. */
size_t cl_date_iso(const cl_date *d, char out[CL_DATE_ISO_MAX]);

#endif
