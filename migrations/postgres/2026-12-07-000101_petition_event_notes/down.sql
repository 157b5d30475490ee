UPDATE petition_events SET note = 'Giao: ' || note WHERE action = 'assign' AND note IS NOT NULL;
UPDATE petition_events SET note = 'Chuyển đến: ' || note WHERE action = 'forward' AND note IS NOT NULL;
