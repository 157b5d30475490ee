UPDATE webhook_subscriptions
SET disabled_reason = consecutive_failures || ' lần gửi liên tiếp không thành công (lần cuối: ' || disabled_reason || ')'
WHERE disabled_reason IS NOT NULL;
