/*
 * Unit tests: the shipped chrome rules beyond English news prompts
 * (config/rules/blog.rules, ad-script.rules, multilingual.rules and
 * lang-*.rules; issue 13).
 *
 * Each language has chrome lines the rules must drop and body sentences
 * made of the same words that they must keep: a rule that starts to take
 * "Zobacz także, jak..." for "Zobacz także" fails here by name.  Lines run
 * through the rules as loaded by the daemon, with the index and without,
 * and the word counts the readers would give them: Chinese and Japanese
 * put no spaces between words, so a whole paragraph of theirs is one word.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "doc.h"
#include "normalize.h"
#include "rules.h"
#include "shipped_rules.h"

/* A line of text and whether a drop, byline or end rule must take it. */
typedef struct line {
    int         chrome;
    const char *text;
} line;

#define DROP(t) { 1, (t) }
#define KEEP(t) { 0, (t) }
#define NLINES(a) (sizeof(a) / sizeof *(a))

static cl_rules *shipped;           /* unprepared: every pattern tried */
static cl_rules *shipped_indexed;   /* prepared, as the daemon runs them */

static int setup(void **state)
{
    (void)state;
    shipped = shipped_rules();
    shipped_indexed = shipped_rules();
    assert_int_equal(cl_rules_prepare(shipped_indexed), 0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    cl_rules_free(shipped);
    cl_rules_free(shipped_indexed);
    return 0;
}

/* The rule that takes `text` as a block would be, or NULL. */
static const char *rule_for(const cl_rules *r, const char *text)
{
    cl_buf norm = CL_BUF_INIT;
    assert_int_equal(cl_normalize(text, strlen(text), &norm, NULL), 0);
    cl_rule_match m;
    int hit = cl_rules_match_text(r, cl_buf_cstr(&norm), norm.len,
                                  cl_count_words(text, strlen(text)), NULL, NULL, &m);
    if (!hit && m.limited)
        fail_msg("rule [%s] gave up on \"%s\"", m.limited, text);
    cl_buf_free(&norm);
    return hit ? m.name : NULL;
}

/* Every line is taken or kept as it says, indexed or not; all the lines
 * that are not are listed before the test fails. */
static void expect_lines(const line *lines, size_t n)
{
    size_t wrong = 0;
    for (size_t i = 0; i < n; i++) {
        const char *plain = rule_for(shipped, lines[i].text);
        const char *indexed = rule_for(shipped_indexed, lines[i].text);
        if ((plain == NULL) != (indexed == NULL) ||
            (plain && strcmp(plain, indexed) != 0)) {
            print_message("    index disagrees (%s / %s): %s\n", plain ? plain : "none",
                          indexed ? indexed : "none", lines[i].text);
            wrong++;
        } else if (lines[i].chrome && !plain) {
            print_message("    kept, but is chrome: %s\n", lines[i].text);
            wrong++;
        } else if (!lines[i].chrome && plain) {
            print_message("    taken by [%s], but is body: %s\n", plain, lines[i].text);
            wrong++;
        }
    }
    if (wrong)
        fail_msg("%zu of %zu lines wrong (listed above)", wrong, n);
}

/* ---- English blog furniture, ad script ----------------------------------- */

static void test_blog_furniture_english(void **state)
{
    (void)state;
    static const line lines[] = {
        DROP("Like this:"),
        DROP("Like Loading..."),
        DROP("Rate this:"),
        DROP("Be the first to like this."),
        DROP("Click to rate this post!"),
        DROP("Was this article helpful?"),
        DROP("One thought on \xE2\x80\x9cWhy we moved to the country\xE2\x80\x9d"),
        DROP("12 Responses to \xE2\x80\x9cThe long road\xE2\x80\x9d"),
        DROP("Leave a Reply Cancel reply"),
        DROP("Your email address will not be published. Required fields are marked *"),
        DROP("Save my name, email, and website in this browser for the next time I comment."),
        DROP("Notify me of follow-up comments by email."),
        DROP("You must be logged in to post a comment."),
        DROP("This site uses Akismet to reduce spam. Learn how your comment data is processed."),
        DROP("This entry was posted in Uncategorized. Bookmark the permalink."),
        DROP("Posted in News | Tagged politics, europe | Leave a comment"),
        DROP("Posted by Ned Deily at 5:11 AM"),
        DROP("Email ThisBlogThis!Share to TwitterShare to FacebookShare to Pinterest"),
        DROP("Newer Post Older Post Home"),
        DROP("\xE2\x86\x90 Previous Post"),
        DROP("Next post: How to bake bread"),
        DROP("View all posts by Jane Doe"),
        DROP("Archives"),
        DROP("Recent Comments"),
        DROP("Blog at WordPress.com."),
        DROP("Proudly powered by WordPress"),
        DROP("Enter your email address to follow this blog and receive notifications of new "
             "posts by email."),
        DROP("Join 1,234 other followers"),
        DROP("Sharing is caring"),
        DROP("As an Amazon Associate I earn from qualifying purchases."),
        DROP("Never miss the latest news by signing up to our newsletter today!"),
        DROP("Already a subscriber? Log in for immediate access to this story."),
        KEEP("Like this, the committee could never agree on anything it discussed."),
        KEEP("Like"),
        KEEP("About the Author"),  /* readability-dev's gold keeps author boxes */
        KEEP("No comments were made by the minister after the meeting."),
        KEEP("One thought on the matter kept returning to him during the night."),
        KEEP("Posted in Kabul for two years, he learned the language quickly."),
        KEEP("Next post office opening was delayed until the spring."),
        KEEP("The archives of the city were destroyed in the fire of 1871."),
        KEEP("To read the full report, the committee met for three days."),
        KEEP("The package was delivered weekly to the village by boat."),
    };
    expect_lines(lines, NLINES(lines));
}

static void test_ad_script_lines(void **state)
{
    (void)state;
    static const line lines[] = {
        DROP("var googletag = googletag || {};"),
        DROP("googletag.cmd.push(function() { googletag.defineSlot('/1234/top', [728, 90], "
             "'div-gpt-ad-1').addService(googletag.pubads()); });"),
        DROP("window.dataLayer = window.dataLayer || []; function gtag(){dataLayer.push(arguments);}"),
        DROP("ga('create', 'UA-12345-1', 'auto'); ga('send', 'pageview');"),
        DROP("var _gaq = _gaq || []; _gaq.push(['_setAccount', 'UA-1234-1']);"),
        DROP("var disqus_shortname = 'example';"),
        DROP("document.write('<script src=\"http://ads.example.com/show.js\"></scr'+'ipt>');"),
        /* Code an article shows is not ad script. */
        KEEP("var total = prices.reduce((a, b) => a + b, 0);"),
        KEEP("var expect = chai.expect;"),
        KEEP("document.getElementById(\"demo\").innerHTML = \"Hello\";"),
        KEEP("document.write(\"Hello World\");"),
        KEEP("(function(exports) { \"use strict\"; function Cow(name) { this.name = name; } })(this);"),
    };
    expect_lines(lines, NLINES(lines));
}

/* The snippets glued to text go, and only they: a block left empty is
 * dropped, a paragraph keeps its sentence. */
static void test_ad_script_snippets_are_stripped(void **state)
{
    (void)state;
    static const char *const texts[] = {
        "(adsbygoogle = window.adsbygoogle || []).push({});",
        "The council met on Monday. (adsbygoogle = window.adsbygoogle || []).push({});",
        "googletag.cmd.push(function() { googletag.display('div-gpt-ad-1234-0'); });",
        "Reklama [INS::INS]",
        "The vote was close.[INS::INS]",
    };
    const size_t n = NLINES(texts);
    for (int indexed = 0; indexed < 2; indexed++) {
        cl_doc *doc = cl_doc_new(CL_FORMAT_TEXT);
        for (size_t i = 0; i < n; i++)
            cl_doc_add_block(doc, CL_BLOCK_PARAGRAPH, 0, texts[i], strlen(texts[i]), 0);
        assert_int_equal(cl_rules_apply(indexed ? shipped_indexed : shipped, doc), 0);
        assert_int_equal(doc->blocks[0].decision, CL_DROP);
        assert_int_equal(doc->blocks[1].decision, CL_KEEP);
        assert_string_equal(doc->blocks[1].text, "The council met on Monday.");
        assert_int_equal(doc->blocks[2].decision, CL_DROP);
        assert_int_equal(doc->blocks[3].decision, CL_DROP);   /* "Reklama": an ad label */
        assert_int_equal(doc->blocks[4].decision, CL_KEEP);
        assert_string_equal(doc->blocks[4].text, "The vote was close.");
        cl_doc_free(doc);
    }
}

/* ---- the five languages of multilingual.rules, and Dutch ----------------- */

static void test_chrome_german(void **state)
{
    (void)state;
    static const line lines[] = {
        DROP("\xC3\x84hnliche Beitr\xC3\xA4ge"),
        DROP("Das k\xC3\xB6nnte Sie auch interessieren"),
        DROP("Lesen Sie auch: Warum die Mieten steigen"),
        DROP("Auch interessant:"),
        DROP("Mehr zum Thema"),
        DROP("Weitere Informationen"),
        DROP("Meistgelesene Artikel"),
        DROP("Schreibe einen Kommentar Antworten abbrechen"),
        DROP("Deine E-Mail-Adresse wird nicht ver\xC3\xB6""ffentlicht. Erforderliche Felder sind "
             "mit * markiert."),
        DROP("Du musst angemeldet sein, um einen Kommentar abzugeben."),
        DROP("Die Kommentarfunktion ist geschlossen."),
        DROP("11 Antworten zu \xE2\x80\x9cSunday Thoughts\xE2\x80\x9d"),
        DROP("Kommentare"),
        DROP("Diesen Artikel teilen"),
        DROP("Jetzt Newsletter abonnieren"),
        DROP("Gef\xC3\xA4llt mir Wird geladen..."),
        DROP("War der Artikel n\xC3\xBCtzlich? (95 Stimmen: 4,73 von 5)"),
        DROP("Anzeige: Mehr lesen mit dem Abo"),
        DROP("Publiziert: 03.04.2020, 12:35"),
        DROP("16. M\xC3\xA4rz 2021"),
        DROP("Ben 19. Juni 2018 um 15:28 Uhr - Antworten"),
        DROP("Februar 2008"),
        DROP("DER SPIEGEL 52/2018 Alle Rechte vorbehalten Vervielf\xC3\xA4ltigung nur mit Genehmigung"),
        DROP("Schlagworte: Energie, Klima"),
        DROP("\xC3\x9c""ber den Autor"),
        KEEP("Auch interessant ist, dass die Preise im Winter kaum gestiegen sind."),
        KEEP("Lesen Sie auch das Kleingedruckte, bevor Sie den Vertrag unterschreiben."),
        KEEP("Weitere Informationen gibt es bei der Verbraucherzentrale."),
        KEEP("Diese Meinung teilen viele Experten in Berlin."),
        KEEP("Der Artikel wurde am 3. Mai ver\xC3\xB6""ffentlicht und sorgte f\xC3\xBCr Aufregung."),
        KEEP("Am 16. M\xC3\xA4rz 2021 trat das Gesetz in Kraft."),
        KEEP("ab 1. Januar 2023 f\xC3\xBCr Wasserpfeifentabak und erhitzten Tabak und"),
        KEEP("Der Verlag hat sich alle Rechte vorbehalten."),
        KEEP("Thema: Schottischer Whisky mit Buffet"),
        KEEP("Weiter ging es am Montag mit den Verhandlungen in Br\xC3\xBCssel."),
    };
    expect_lines(lines, NLINES(lines));
}

static void test_chrome_spanish_portuguese(void **state)
{
    (void)state;
    static const line lines[] = {
        DROP("Lea tambi\xC3\xA9n: Impiden ingreso a Nicaragua a reportero"),
        DROP("LE PUEDE INTERESAR: La ficha del expresidente"),
        DROP("Tambi\xC3\xA9n te puede interesar"),
        DROP("Otras Noticias"),
        DROP("Las m\xC3\xA1s vistas"),
        DROP("Dej\xC3\xA1 tu comentario"),
        DROP("Etiquetas: autos bendici\xC3\xB3n capuchinos"),
        DROP("Siguenos en Telegram, Instagram, Facebook y Twitter"),
        DROP("2022 - Todos los derechos reservados."),
        DROP("Solo para suscriptores digitales"),
        DROP("12 de mayo de 2021"),
        DROP("Leia tamb\xC3\xA9m: O governo anuncia novas medidas"),
        DROP("Voc\xC3\xAA tamb\xC3\xA9m pode gostar"),
        DROP("Deixe seu coment\xC3\xA1rio"),
        DROP("(cr\xC3\xA9""dito: Minervino J\xC3\xBAnior/CB/D.A.Press)"),
        DROP("Todos os direitos reservados"),
        KEEP("Te recomendamos visitar el museo por la ma\xC3\xB1""ana, cuando hay menos gente."),
        KEEP("Otras noticias de la semana fueron peores para el gobierno."),
        KEEP("Sigue la lucha de los vecinos contra el desalojo."),
        KEEP("Veja tamb\xC3\xA9m como ficou o placar do jogo de ontem, disse o t\xC3\xA9""cnico."),
    };
    expect_lines(lines, NLINES(lines));
}

static void test_chrome_french_italian(void **state)
{
    (void)state;
    static const line lines[] = {
        DROP("\xC3\x80 lire aussi : Ballonnements, lourdeurs"),
        DROP("Sur le m\xC3\xAAme sujet"),
        DROP("En savoir plus"),
        DROP("Pour rester inform\xC3\xA9 inscrivez-vous \xC3\xA0 la newsletter"),
        DROP("Pour lire la suite et acc\xC3\xA9""der gratuitement \xC3\xA0 3 articles par mois, "
             "cr\xC3\xA9""ez votre compte"),
        DROP("Cr\xC3\xA9""dits photos : Bestimage"),
        DROP("Votre adresse e-mail ne sera pas publi\xC3\xA9""e."),
        DROP("Mots-cl\xC3\xA9s : retraite, r\xC3\xA9""forme"),
        DROP("Leggi anche: Il governo cade"),
        DROP("Articoli correlati"),
        DROP("Lascia un commento"),
        DROP("\xC2\xA9 RIPRODUZIONE RISERVATA"),
        KEEP("\xC3\x80 voir sur place, le mus\xC3\xA9""e est ouvert tous les jours sauf le lundi."),
        KEEP("En savoir plus sur le climat est devenu une priorit\xC3\xA9 pour les \xC3\xA9l\xC3\xA8ves."),
        KEEP("Leggi anche tu il libro, ha detto il ministro ai giornalisti."),
    };
    expect_lines(lines, NLINES(lines));
}

static void test_chrome_dutch(void **state)
{
    (void)state;
    static const line lines[] = {
        DROP("Lees ook: Kabinet valt"),
        DROP("Gerelateerde artikelen"),
        DROP("Deel dit artikel"),
        DROP("Volg ons op Facebook"),
        DROP("Alle rechten voorbehouden"),
        DROP("Plaats een reactie"),
        DROP("Je e-mailadres wordt niet gepubliceerd."),
        DROP("Advertentie"),
        DROP("12 mei 2021"),
        KEEP("Deel 2: De geschiedenis van Amsterdam"),
        KEEP("Lees ook de kleine lettertjes voordat je tekent."),
        KEEP("Door de regen werd de wedstrijd uitgesteld."),
    };
    expect_lines(lines, NLINES(lines));
}

/* ---- Chinese, Japanese, Korean: no spaces, no word limit ----------------- */

static void test_chrome_chinese(void **state)
{
    (void)state;
    static const line lines[] = {
        DROP("\xE7\x9B\xB8\xE5\x85\xB3\xE9\x98\x85\xE8\xAF\xBB"),                 /* 相关阅读 */
        DROP("\xE7\x9B\xB8\xE5\x85\xB3\xE9\x98\x85\xE8\xAF\xBB\xEF\xBC\x9A"
             "\xE6\xB2\xB3\xE5\x8C\x97\xE6\x8E\xA2\xE7\xB4\xA2\xE5\x86\x9C\xE6\x9D\x91"),  /* 相关阅读：河北探索农村 */
        DROP("\xE4\xB8\x8A\xE4\xB8\x80\xE7\xAF\x87\xEF\xBC\x9A\xE6\xB2\xB3\xE5\x8C\x97"
             "\xE6\x8E\xA2\xE7\xB4\xA2"),                                          /* 上一篇：河北探索 */
        DROP("\xE5\x88\x86\xE4\xBA\xAB\xE5\x88\xB0\xEF\xBC\x9A"),                 /* 分享到： */
        DROP("\xE7\x89\x88\xE6\x9D\x83\xE6\x89\x80\xE6\x9C\x89 "
             "\xE6\x96\xB0\xE5\x8D\x8E\xE7\xBD\x91"),                             /* 版权所有 新华网 */
        DROP("\xE4\xBA\xAC""ICP\xE8\xAF\x81""010042\xE5\x8F\xB7"),                /* 京ICP证010042号 */
        DROP("\xE6\x9D\xA5\xE6\xBA\x90\xEF\xBC\x9A\xE6\x96\xB0\xE5\x8D\x8E\xE7\xBD\x91"),  /* 来源：新华网 */
        DROP("\xE5\x8F\x91\xE5\xB8\x83\xE6\x97\xB6\xE9\x97\xB4\xEF\xBC\x9A"
             "2012-06-04 10:20"),                                                  /* 发布时间：... */
        DROP("\xE3\x80\x90\xE5\xAD\x97\xE5\x8F\xB7 \xE5\xA4\xA7 \xE4\xB8\xAD \xE5\xB0\x8F"
             "\xE3\x80\x91\xE3\x80\x90\xE6\x89\x93\xE5\x8D\xB0\xE3\x80\x91\xE3\x80\x90"
             "\xE5\x85\xB3\xE9\x97\xAD\xE3\x80\x91"),                             /* 【字号 大 中 小】【打印】【关闭】 */
        DROP("\xE5\x8F\x91\xE8\xA1\xA8\xE8\xAF\x84\xE8\xAE\xBA"),                 /* 发表评论 */
        DROP("\xE7\x9B\xB8\xE9\x97\x9C\xE6\x96\xB0\xE8\x81\x9E"),                 /* 相關新聞 */
        DROP("\xE7\x89\x88\xE6\xAC\x8A\xE6\x89\x80\xE6\x9C\x89 \xC2\xA9 2020"),   /* 版權所有 © 2020 */
        /* 相关部门表示，将进一步加强对农村劳动力的培训。 */
        KEEP("\xE7\x9B\xB8\xE5\x85\xB3\xE9\x83\xA8\xE9\x97\xA8\xE8\xA1\xA8\xE7\xA4\xBA\xEF\xBC\x8C"
             "\xE5\xB0\x86\xE8\xBF\x9B\xE4\xB8\x80\xE6\xAD\xA5\xE5\x8A\xA0\xE5\xBC\xBA\xE5\xAF\xB9"
             "\xE5\x86\x9C\xE6\x9D\x91\xE5\x8A\xB3\xE5\x8A\xA8\xE5\x8A\x9B\xE7\x9A\x84\xE5\x9F\xB9"
             "\xE8\xAE\xAD\xE3\x80\x82"),
        /* 分享经济近年来发展迅速，吸引了大量投资。 */
        KEEP("\xE5\x88\x86\xE4\xBA\xAB\xE7\xBB\x8F\xE6\xB5\x8E\xE8\xBF\x91\xE5\xB9\xB4\xE6\x9D\xA5"
             "\xE5\x8F\x91\xE5\xB1\x95\xE8\xBF\x85\xE9\x80\x9F\xEF\xBC\x8C\xE5\x90\xB8\xE5\xBC\x95"
             "\xE4\xBA\x86\xE5\xA4\xA7\xE9\x87\x8F\xE6\x8A\x95\xE8\xB5\x84\xE3\x80\x82"),
        /* 版权所有者可以向法院提起诉讼。 */
        KEEP("\xE7\x89\x88\xE6\x9D\x83\xE6\x89\x80\xE6\x9C\x89\xE8\x80\x85\xE5\x8F\xAF\xE4\xBB\xA5"
             "\xE5\x90\x91\xE6\xB3\x95\xE9\x99\xA2\xE6\x8F\x90\xE8\xB5\xB7\xE8\xAF\x89\xE8\xAE\xBC"
             "\xE3\x80\x82"),
        /* （责任编辑：张三）: readability-dev's gold keeps editor lines. */
        KEEP("\xEF\xBC\x88\xE8\xB4\xA3\xE4\xBB\xBB\xE7\xBC\x96\xE8\xBE\x91\xEF\xBC\x9A"
             "\xE5\xBC\xA0\xE4\xB8\x89\xEF\xBC\x89"),
    };
    expect_lines(lines, NLINES(lines));
}

static void test_chrome_japanese(void **state)
{
    (void)state;
    static const line lines[] = {
        DROP("\xE9\x96\xA2\xE9\x80\xA3\xE8\xA8\x98\xE4\xBA\x8B"),                 /* 関連記事 */
        DROP("\xE9\x96\xA2\xE9\x80\xA3\xE8\xA8\x98\xE4\xBA\x8B\xEF\xBC\x9A"
             "\xE6\x9D\xB1\xE4\xBA\xAC\xE3\x81\xA7\xE6\x96\xB0\xE9\xA7\x85"),     /* 関連記事：東京で新駅 */
        DROP("\xE3\x82\xB9\xE3\x83\x9D\xE3\x83\xB3\xE3\x82\xB5\xE3\x83\xBC\xE3\x83\xAA"
             "\xE3\x83\xB3\xE3\x82\xAF"),                                          /* スポンサーリンク */
        DROP("\xE3\x82\xB7\xE3\x82\xA7\xE3\x82\xA2\xE3\x81\x99\xE3\x82\x8B"),     /* シェアする */
        DROP("\xE3\x82\xB3\xE3\x83\xA1\xE3\x83\xB3\xE3\x83\x88\xE3\x82\x92\xE6\xAE\x8B"
             "\xE3\x81\x99"),                                                      /* コメントを残す */
        DROP("\xE7\xB6\x9A\xE3\x81\x8D\xE3\x82\x92\xE8\xAA\xAD\xE3\x82\x80"),     /* 続きを読む */
        DROP("\xE7\x84\xA1\xE6\x96\xAD\xE8\xBB\xA2\xE8\xBC\x89\xE3\x82\x92\xE7\xA6\x81"
             "\xE3\x81\x98\xE3\x81\xBE\xE3\x81\x99\xE3\x80\x82"),                 /* 無断転載を禁じます。 */
        /* 関連記事の数は昨年より大幅に増えたと発表した。 */
        KEEP("\xE9\x96\xA2\xE9\x80\xA3\xE8\xA8\x98\xE4\xBA\x8B\xE3\x81\xAE\xE6\x95\xB0\xE3\x81\xAF"
             "\xE6\x98\xA8\xE5\xB9\xB4\xE3\x82\x88\xE3\x82\x8A\xE5\xA4\xA7\xE5\xB9\x85\xE3\x81\xAB"
             "\xE5\xA2\x97\xE3\x81\x88\xE3\x81\x9F\xE3\x81\xA8\xE7\x99\xBA\xE8\xA1\xA8\xE3\x81\x97"
             "\xE3\x81\x9F\xE3\x80\x82"),
        /* 次の記事では、東京の新しい駅を紹介します。 */
        KEEP("\xE6\xAC\xA1\xE3\x81\xAE\xE8\xA8\x98\xE4\xBA\x8B\xE3\x81\xA7\xE3\x81\xAF\xE3\x80\x81"
             "\xE6\x9D\xB1\xE4\xBA\xAC\xE3\x81\xAE\xE6\x96\xB0\xE3\x81\x97\xE3\x81\x84\xE9\xA7\x85"
             "\xE3\x82\x92\xE7\xB4\xB9\xE4\xBB\x8B\xE3\x81\x97\xE3\x81\xBE\xE3\x81\x99\xE3\x80\x82"),
    };
    expect_lines(lines, NLINES(lines));
}

static void test_chrome_korean(void **state)
{
    (void)state;
    static const line lines[] = {
        DROP("\xEA\xB4\x80\xEB\xA0\xA8\xEA\xB8\xB0\xEC\x82\xAC"),                 /* 관련기사 */
        DROP("\xEA\xB4\x80\xEB\xA0\xA8\xEA\xB8\xB0\xEC\x82\xAC: \xEC\x84\x9C\xEC\x9A\xB8\xEC\x8B\x9C "
             "\xEC\x83\x88 \xEC\xA0\x95\xEC\xB1\x85"),                             /* 관련기사: 서울시 새 정책 */
        DROP("\xEB\xA7\x8E\xEC\x9D\xB4 \xEB\xB3\xB8 \xEB\x89\xB4\xEC\x8A\xA4"),   /* 많이 본 뉴스 */
        DROP("\xEA\xB3\xB5\xEC\x9C\xA0\xED\x95\x98\xEA\xB8\xB0"),                 /* 공유하기 */
        DROP("\xED\x99\x8D\xEA\xB8\xB8\xEB\x8F\x99 \xEA\xB8\xB0\xEC\x9E\x90 "
             "hong@yna.co.kr"),                                                    /* 홍길동 기자 ... */
        DROP("\xEC\x9E\x85\xEB\xA0\xA5 2022.05.06 14:22 \xEC\x88\x98\xEC\xA0\x95 "
             "2022.05.06 14:30"),                                                  /* 입력 ... 수정 ... */
        DROP("\xEB\x8C\x93\xEA\xB8\x80 0"),                                       /* 댓글 0 */
        /* 관련 기사들이 쏟아지면서 시민들의 관심이 높아졌다. */
        KEEP("\xEA\xB4\x80\xEB\xA0\xA8 \xEA\xB8\xB0\xEC\x82\xAC\xEB\x93\xA4\xEC\x9D\xB4 "
             "\xEC\x8F\x9F\xEC\x95\x84\xEC\xA7\x80\xEB\xA9\xB4\xEC\x84\x9C \xEC\x8B\x9C\xEB\xAF\xBC"
             "\xEB\x93\xA4\xEC\x9D\x98 \xEA\xB4\x80\xEC\x8B\xAC\xEC\x9D\xB4 \xEB\x86\x92\xEC\x95\x84"
             "\xEC\xA1\x8C\xEB\x8B\xA4."),
        /* 공유 경제가 빠르게 성장하고 있다. */
        KEEP("\xEA\xB3\xB5\xEC\x9C\xA0 \xEA\xB2\xBD\xEC\xA0\x9C\xEA\xB0\x80 \xEB\xB9\xA0\xEB\xA5\xB4"
             "\xEA\xB2\x8C \xEC\x84\xB1\xEC\x9E\xA5\xED\x95\x98\xEA\xB3\xA0 \xEC\x9E\x88\xEB\x8B\xA4."),
    };
    expect_lines(lines, NLINES(lines));
}

/* ---- Russian and Ukrainian, Polish, Czech, Turkish, Arabic --------------- */

static void test_chrome_russian_ukrainian(void **state)
{
    (void)state;
    static const line lines[] = {
        DROP("\xD0\xA7\xD0\xB8\xD1\x82\xD0\xB0\xD0\xB9\xD1\x82\xD0\xB5 \xD1\x82\xD0\xB0\xD0\xBA"
             "\xD0\xB6\xD0\xB5: \xD0\x92\xD1\x81\xD1\x82\xD1\x80\xD0\xB5\xD1\x87\xD0\xB0 "
             "\xD0\xB2 \xD0\x9A\xD1\x80\xD0\xB5\xD0\xBC\xD0\xBB\xD0\xB5"),        /* Читайте также: Встреча в Кремле */
        DROP("\xD0\x9F\xD0\xBE\xD1\x85\xD0\xBE\xD0\xB6\xD0\xB8\xD0\xB5 \xD0\xBD\xD0\xBE\xD0\xB2"
             "\xD0\xBE\xD1\x81\xD1\x82\xD0\xB8"),                                 /* Похожие новости */
        DROP("\xD0\x9F\xD0\xBE\xD0\xB4\xD0\xB5\xD0\xBB\xD0\xB8\xD1\x82\xD1\x8C\xD1\x81\xD1\x8F"),  /* Поделиться */
        DROP("\xC2\xA9 2006-2019 \xD0\x92\xD1\x81\xD0\xB5 \xD0\xBF\xD1\x80\xD0\xB0\xD0\xB2\xD0\xB0 "
             "\xD0\xB7\xD0\xB0\xD1\x89\xD0\xB8\xD1\x89\xD0\xB5\xD0\xBD\xD1\x8B."),  /* © 2006-2019 Все права защищены. */
        DROP("\xD0\x9A\xD0\xBE\xD0\xBC\xD0\xBC\xD0\xB5\xD0\xBD\xD1\x82\xD0\xB0\xD1\x80\xD0\xB8"
             "\xD0\xB8 (3)"),                                                      /* Комментарии (3) */
        DROP("\xD0\x9D\xD0\xB0\xD1\x88\xD0\xBB\xD0\xB8 \xD0\xBE\xD1\x88\xD0\xB8\xD0\xB1\xD0\xBA"
             "\xD1\x83? \xD0\x92\xD1\x8B\xD0\xB4\xD0\xB5\xD0\xBB\xD0\xB8\xD1\x82\xD0\xB5 \xD0\xB5"
             "\xD1\x91 \xD0\xB8 \xD0\xBD\xD0\xB0\xD0\xB6\xD0\xBC\xD0\xB8\xD1\x82\xD0\xB5 "
             "Ctrl+Enter"),                                                        /* Нашли ошибку? Выделите её ... */
        DROP("12 \xD0\xBC\xD0\xB0\xD1\x8F 2021, 11:49"),                          /* 12 мая 2021, 11:49 */
        DROP("\xD0\xA7\xD0\xB8\xD1\x82\xD0\xB0\xD0\xB9\xD1\x82\xD0\xB5 \xD1\x82\xD0\xB0\xD0\xBA"
             "\xD0\xBE\xD0\xB6"),                                                  /* Читайте також */
        /* Читайте также внимательно условия договора. */
        KEEP("\xD0\xA7\xD0\xB8\xD1\x82\xD0\xB0\xD0\xB9\xD1\x82\xD0\xB5 \xD1\x82\xD0\xB0\xD0\xBA"
             "\xD0\xB6\xD0\xB5 \xD0\xB2\xD0\xBD\xD0\xB8\xD0\xBC\xD0\xB0\xD1\x82\xD0\xB5\xD0\xBB"
             "\xD1\x8C\xD0\xBD\xD0\xBE \xD1\x83\xD1\x81\xD0\xBB\xD0\xBE\xD0\xB2\xD0\xB8\xD1\x8F "
             "\xD0\xB4\xD0\xBE\xD0\xB3\xD0\xBE\xD0\xB2\xD0\xBE\xD1\x80\xD0\xB0."),
        /* 12 мая 2021 года в Москве прошла встреча. */
        KEEP("12 \xD0\xBC\xD0\xB0\xD1\x8F 2021 \xD0\xB3\xD0\xBE\xD0\xB4\xD0\xB0 \xD0\xB2 "
             "\xD0\x9C\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB5 \xD0\xBF\xD1\x80\xD0\xBE\xD1\x88"
             "\xD0\xBB\xD0\xB0 \xD0\xB2\xD1\x81\xD1\x82\xD1\x80\xD0\xB5\xD1\x87\xD0\xB0."),
        /* Фото: личный архив: aeb-dev's gold keeps photo captions. */
        KEEP("\xD0\xA4\xD0\xBE\xD1\x82\xD0\xBE: \xD0\xBB\xD0\xB8\xD1\x87\xD0\xBD\xD1\x8B\xD0\xB9 "
             "\xD0\xB0\xD1\x80\xD1\x85\xD0\xB8\xD0\xB2"),
    };
    expect_lines(lines, NLINES(lines));
}

static void test_chrome_polish(void **state)
{
    (void)state;
    static const line lines[] = {
        DROP("Zobacz tak\xC5\xBC""e"),
        DROP("Zobacz tak\xC5\xBC""e: Gazprom przela\xC5\x82 PGNiG 1,5 mld dolar\xC3\xB3w"),
        DROP("Polecamy"),
        DROP("Udost\xC4\x99pnij"),
        DROP("Obserwuj nas na Google News"),
        DROP("Wszelkie prawa zastrze\xC5\xBC""one"),
        DROP("Materia\xC5\x82 chroniony prawem autorskim - zasady przedruk\xC3\xB3w okre\xC5\x9Bla "
             "regulamin."),
        DROP("Dodaj komentarz"),
        DROP("Reklama Reklama"),
        DROP("\xC5\xB9r\xC3\xB3""d\xC5\x82o: Pixabay"),
        DROP("16 marca 2021"),
        DROP("11 minut czytania"),
        KEEP("Zobacz tak\xC5\xBC""e, jak zmieni\xC5\x82y si\xC4\x99 ceny mieszka\xC5\x84."),
        KEEP("Polecamy ten film wszystkim, kt\xC3\xB3rzy lubi\xC4\x85 dobre kino, powiedzia\xC5\x82."),
        KEEP("16 marca 2021 roku rz\xC4\x85""d przyj\xC4\x85\xC5\x82 now\xC4\x85 ustaw\xC4\x99."),
    };
    expect_lines(lines, NLINES(lines));
}

static void test_chrome_czech_turkish(void **state)
{
    (void)state;
    static const line lines[] = {
        DROP("\xC4\x8Ct\xC4\x9Bte tak\xC3\xA9: Vl\xC3\xA1""da schv\xC3\xA1lila rozpo\xC4\x8D""et"),
        DROP("Souvisej\xC3\xAD""c\xC3\xAD \xC4\x8Dl\xC3\xA1nky"),
        DROP("Sd\xC3\xAD""let"),
        DROP("V\xC5\xA1""echna pr\xC3\xA1va vyhrazena."),
        DROP("Koment\xC3\xA1\xC5\x99""e (12)"),
        DROP("P\xC5\x99idat koment\xC3\xA1\xC5\x99"),
        DROP("12. kv\xC4\x9Btna 2021"),
        DROP("\xC4\xB0lgili Haberler"),
        DROP("Bunlar da ilginizi \xC3\xA7""ekebilir"),
        DROP("Payla\xC5\x9F"),
        DROP("T\xC3\xBCm haklar\xC4\xB1 sakl\xC4\xB1""d\xC4\xB1r."),
        DROP("Yorum yap"),
        DROP("12 May\xC4\xB1s 2021"),
        KEEP("Souvisej\xC3\xAD""c\xC3\xAD probl\xC3\xA9my \xC5\x99""e\xC5\xA1\xC3\xAD vl\xC3\xA1""da "
             "ji\xC5\xBE n\xC4\x9Bkolik let."),
        KEEP("Payla\xC5\x9F\xC4\xB1lan bilgilere g\xC3\xB6re toplant\xC4\xB1 yar\xC4\xB1n yap\xC4\xB1"
             "lacak."),
        KEEP("\xC4\xB0lgili haberler d\xC3\xBCn ak\xC5\x9F""am televizyonda yay\xC4\xB1nland\xC4\xB1."),
    };
    expect_lines(lines, NLINES(lines));
}

static void test_chrome_arabic(void **state)
{
    (void)state;
    static const line lines[] = {
        DROP("\xD8\xA7\xD9\x82\xD8\xB1\xD8\xA3 \xD8\xA3\xD9\x8A\xD8\xB6\xD8\xA7"),  /* اقرأ أيضا */
        DROP("\xD8\xA7\xD9\x82\xD8\xB1\xD8\xA3 \xD8\xA3\xD9\x8A\xD8\xB6\xD8\xA7\xD9\x8B: "
             "\xD8\xA7\xD9\x84\xD8\xAD\xD9\x83\xD9\x88\xD9\x85\xD8\xA9 \xD8\xAA\xD8\xB9\xD9\x84"
             "\xD9\x86"),                                                          /* اقرأ أيضاً: الحكومة تعلن */
        DROP("\xD9\x85\xD9\x88\xD8\xA7\xD8\xB6\xD9\x8A\xD8\xB9 \xD8\xB0\xD8\xA7\xD8\xAA "
             "\xD8\xB5\xD9\x84\xD8\xA9"),                                          /* مواضيع ذات صلة */
        DROP("\xD8\xB4\xD8\xA7\xD8\xB1\xD9\x83"),                                 /* شارك */
        DROP("\xD8\xAC\xD9\x85\xD9\x8A\xD8\xB9 \xD8\xA7\xD9\x84\xD8\xAD\xD9\x82\xD9\x88\xD9\x82 "
             "\xD9\x85\xD8\xAD\xD9\x81\xD9\x88\xD8\xB8\xD8\xA9"),                 /* جميع الحقوق محفوظة */
        DROP("\xD8\xA5\xD8\xB6\xD8\xA7\xD9\x81\xD8\xA9 \xD8\xAA\xD8\xB9\xD9\x84\xD9\x8A\xD9\x82 "
             "\xD8\xAC\xD8\xAF\xD9\x8A\xD8\xAF"),                                 /* إضافة تعليق جديد */
        /* شارك الرئيس في القمة العربية: "took part", not "share". */
        KEEP("\xD8\xB4\xD8\xA7\xD8\xB1\xD9\x83 \xD8\xA7\xD9\x84\xD8\xB1\xD8\xA6\xD9\x8A\xD8\xB3 "
             "\xD9\x81\xD9\x8A \xD8\xA7\xD9\x84\xD9\x82\xD9\x85\xD8\xA9 \xD8\xA7\xD9\x84\xD8\xB9"
             "\xD8\xB1\xD8\xA8\xD9\x8A\xD8\xA9."),
        /* اقرأ أيضا الكتاب الذي نشره العام الماضي. */
        KEEP("\xD8\xA7\xD9\x82\xD8\xB1\xD8\xA3 \xD8\xA3\xD9\x8A\xD8\xB6\xD8\xA7 \xD8\xA7\xD9\x84"
             "\xD9\x83\xD8\xAA\xD8\xA7\xD8\xA8 \xD8\xA7\xD9\x84\xD8\xB0\xD9\x8A \xD9\x86\xD8\xB4"
             "\xD8\xB1\xD9\x87 \xD8\xA7\xD9\x84\xD8\xB9\xD8\xA7\xD9\x85 \xD8\xA7\xD9\x84\xD9\x85"
             "\xD8\xA7\xD8\xB6\xD9\x8A."),
    };
    expect_lines(lines, NLINES(lines));
}

/* A label rule bounded by characters, not words: a Chinese paragraph is
 * one word, and one that opens with a label's characters must still be
 * kept however long it runs. */
static void test_cjk_labels_do_not_take_long_paragraphs(void **state)
{
    (void)state;
    cl_buf t = CL_BUF_INIT;
    cl_buf_append_str(&t, "\xE7\x9B\xB8\xE5\x85\xB3\xE9\x98\x85\xE8\xAF\xBB\xEF\xBC\x9A");  /* 相关阅读： */
    for (int i = 0; i < 60; i++)  /* 河北探索农村劳动力就地就近转移培训。 x 60 */
        cl_buf_append_str(&t, "\xE6\xB2\xB3\xE5\x8C\x97\xE6\x8E\xA2\xE7\xB4\xA2\xE5\x86\x9C"
                              "\xE6\x9D\x91\xE5\x8A\xB3\xE5\x8A\xA8\xE5\x8A\x9B\xE5\xB0\xB1"
                              "\xE5\x9C\xB0\xE5\xB0\xB1\xE8\xBF\x91\xE8\xBD\xAC\xE7\xA7\xBB"
                              "\xE5\x9F\xB9\xE8\xAE\xAD\xE3\x80\x82");
    assert_false(t.oom);
    assert_int_equal(cl_count_words(t.data, t.len), 1);
    assert_null(rule_for(shipped, cl_buf_cstr(&t)));
    assert_null(rule_for(shipped_indexed, cl_buf_cstr(&t)));
    cl_buf_free(&t);
}

/* Every shipped pattern has literals for the index: one without would be
 * tried on every block of every document. */
static void test_shipped_patterns_are_all_indexed(void **state)
{
    (void)state;
    assert_int_equal(cl_rules_unindexed(shipped_indexed), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_blog_furniture_english),
        cmocka_unit_test(test_ad_script_lines),
        cmocka_unit_test(test_ad_script_snippets_are_stripped),
        cmocka_unit_test(test_chrome_german),
        cmocka_unit_test(test_chrome_spanish_portuguese),
        cmocka_unit_test(test_chrome_french_italian),
        cmocka_unit_test(test_chrome_dutch),
        cmocka_unit_test(test_chrome_chinese),
        cmocka_unit_test(test_chrome_japanese),
        cmocka_unit_test(test_chrome_korean),
        cmocka_unit_test(test_chrome_russian_ukrainian),
        cmocka_unit_test(test_chrome_polish),
        cmocka_unit_test(test_chrome_czech_turkish),
        cmocka_unit_test(test_chrome_arabic),
        cmocka_unit_test(test_cjk_labels_do_not_take_long_paragraphs),
        cmocka_unit_test(test_shipped_patterns_are_all_indexed),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
