# make train: the block model (config/model/blocks.model) from the data sets
# of DATA (default ../shared: aeb-dev, readability-dev, trafeval-dev, seeds,
# in the layouts scripts/quality.py reads), each page on the three input
# paths; scripts/train.py says how.  Deterministic: the same data, rules and
# cleaner give a byte-identical file (make train-check trains twice and
# compares).  Runs Debian's python3 (/usr/bin/python3), which has
# python3-sklearn; about two minutes.
#
#   make train DATA=DIR                 train on your own sets
#   make train-cv                       the model's site-grouped 5-fold
#                                       cross-validation through the whole
#                                       cleaner: every bench-quality line
#                                       scored on pages whose site no fold
#                                       model saw
DATA         ?= ../shared
TRAIN_PYTHON ?= /usr/bin/python3
MODEL        ?= config/model/blocks.model
TRAIN        = $(TRAIN_PYTHON) scripts/train.py --shared $(DATA) --features $(FEATURES_BIN) \
               --cleaner $(BIN)

.PHONY: train train-check train-cv deps-train
train: $(BIN) $(FEATURES_BIN) deps-train
	@$(TRAIN) fit --out $(MODEL)

train-check: $(BIN) $(FEATURES_BIN) deps-train
	@$(TRAIN) fit --out $(BUILD)/train-1.model >/dev/null
	@$(TRAIN) fit --out $(BUILD)/train-2.model >/dev/null
	@cmp $(BUILD)/train-1.model $(BUILD)/train-2.model && \
	    echo "train-check: two runs gave identical weights ($$(wc -l < $(BUILD)/train-1.model) lines)"

train-cv: $(BIN) $(FEATURES_BIN) deps-train
	@rm -rf $(BUILD)/cv && $(TRAIN) cv --dir $(BUILD)/cv
	@python3 scripts/bench-quality.py --shared $(DATA) --pred-cmd \
	    "$(TRAIN) predict $(BUILD)/cv"

deps-train:
	@./scripts/install-deps.sh train
