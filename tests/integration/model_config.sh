#!/usr/bin/env bash
# The block model: the shipped one is loaded by default and decides text
# (not HTML, which its thresholds leave to the reader); --model and the
# config's model key choose another or none; a broken model file stops the
# start with its name and line.
. "$(dirname "$0")/cli_lib.bash"
TEXT=$REPO/fixtures/raw/text_news_chrome.txt
HTML=$REPO/fixtures/raw/news_chrome.html
[ -f "$REPO/config/model/blocks.model" ] || fail "no shipped model: config/model/blocks.model"

model_reasons() { grep -c "model [0-9.]*: " "$TEST_TMP/err" || true; }

run 0 --explain "$TEXT"
[ "$(model_reasons)" -gt 0 ] || fail "the shipped model did not decide a text input"
run 0 --explain --model none "$TEXT"
[ "$(model_reasons)" -eq 0 ] || fail "--model none: the model still decided"
run 0 --explain "$HTML"
[ "$(model_reasons)" -eq 0 ] || fail "HTML: the shipped model decided, its thresholds say it must not"

# A model of our own that drops every text paragraph it is asked about
# would empty the page: the proposals stand instead.
printf 'cleaner-block-model 1\nthreshold 0.5\nbias -30\n' >"$TEST_TMP/drop-all.model"
run 0 --explain --model "$TEST_TMP/drop-all.model" "$TEXT"
cmp -s "$TEST_TMP/stdout" <("$CLEANER" --model none "$TEXT") ||
    fail "a model keeping nothing changed the output instead of leaving the proposals"

printf 'cleaner-block-model 1\nthreshold 0.5\nw=3 zero\n' >"$TEST_TMP/bad.model"
run 2 --model "$TEST_TMP/bad.model" "$TEXT"
grep -q "bad.model:3: not a NAME NUMBER line" "$TEST_TMP/err" || fail "broken model: unclear error"
run 2 --model "$TEST_TMP/missing.model" "$TEXT"
grep -q "missing.model: cannot open" "$TEST_TMP/err" || fail "missing model: unclear error"

# The config's key: relative to the config's folder; none turns it off.
mkdir -p "$TEST_TMP/conf/m"
cp "$TEST_TMP/drop-all.model" "$TEST_TMP/conf/m/x.model"
printf '[cleaner]\nrules_dir = %s\nmodel = m/x.model\n' "$REPO/config/rules" >"$TEST_TMP/conf/a.conf"
run 0 -c "$TEST_TMP/conf/a.conf" --explain "$TEXT"
[ "$(model_reasons)" -eq 0 ] || fail "drop-all model from the config: the proposals should stand"
printf 'cleaner-block-model 1\nbias 30\n' >"$TEST_TMP/conf/m/x.model"
run 0 -c "$TEST_TMP/conf/a.conf" --explain "$TEXT"
[ "$(model_reasons)" -gt 0 ] || fail "model = m/x.model was not read relative to the config"
printf '[cleaner]\nrules_dir = %s\nmodel = none\n' "$REPO/config/rules" >"$TEST_TMP/conf/b.conf"
run 0 -c "$TEST_TMP/conf/b.conf" --explain "$TEXT"
[ "$(model_reasons)" -eq 0 ] || fail "model = none: a model decided"
echo "shipped model on text only, --model, model key, broken and missing files"
