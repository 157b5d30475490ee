UPDATE disclosure_items SET name = 'Tình hình thực hiện ngân sách xã (hằng quý)'
    WHERE commune_id IS NULL AND code = 'D11-03' AND name = 'Tình hình thực hiện ngân sách xã (hằng quý, 6 tháng và cả năm)';
DELETE FROM democracy_files WHERE owner_kind IN ('activity', 'meeting_minutes', 'decision_report', 'supervision');
ALTER TABLE democracy_files DROP CONSTRAINT democracy_files_owner_kind_check;
ALTER TABLE democracy_files ADD CONSTRAINT democracy_files_owner_kind_check CHECK (owner_kind IN ('disclosure_document', 'disclosure_evidence', 'relay', 'dialogue_minutes', 'commitment_report'));
DROP TABLE board_recommendations;
DROP TABLE board_supervisions;
DROP TABLE decision_reports;
DROP TABLE meeting_decisions;
DROP TABLE meeting_units;
DROP TABLE coordination_meetings;
DROP TABLE activity_units;
DROP TABLE activities;
