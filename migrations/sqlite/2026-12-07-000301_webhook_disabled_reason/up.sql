-- A turned-off webhook subscription keeps its last failure as data, written as the delivery log
-- writes it (`timeout`, `unreachable`, `HTTP 503`), not as a Vietnamese sentence: the page words
-- it in the reader's language and a province's system reads a code.
UPDATE webhook_subscriptions
SET disabled_reason = rtrim(substr(disabled_reason, instr(disabled_reason, '(lần cuối: ') + 11), ')')
WHERE disabled_reason LIKE '%(lần cuối: %)';
