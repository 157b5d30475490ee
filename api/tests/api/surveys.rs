//! Satisfaction surveys: forms and versions, the four channels, tallies, results with the
//! minimum sample, the 766 index's row 5.4.

use serde_json::{Value, json};

use crate::both_engines;
use crate::harness::TestApp;

fn form_id(app: &TestApp, token: &str, code: &str) -> i64 {
    let r = app.get("/api/v1/survey-forms", Some(token));
    assert_eq!(r.status, 200, "{}", r.text);
    r.body.as_array().unwrap().iter().find(|f| f["code"] == code).unwrap()["id"].as_i64().unwrap()
}

fn new_survey(app: &TestApp, token: &str, form: i64, channels: Value) -> Value {
    let r = app.post(
        "/api/v1/surveys",
        Some(token),
        json!({ "form_id": form, "title": "Khảo sát thử", "starts_on": "2024-01-01", "target": "all",
                "channels": channels }),
    );
    assert_eq!(r.status, 201, "{}", r.text);
    r.body
}

fn paper(app: &TestApp, token: &str, survey: i64, client_id: &str, overall: i64) -> (u16, Value) {
    let r = app.post(
        &format!("/api/v1/surveys/{survey}/responses"),
        Some(token),
        json!({ "client_id": client_id, "answers": [
            { "question_id": "attitude", "value": overall }, { "question_id": "listen", "value": 4 },
            { "question_id": "info", "value": 3 }, { "question_id": "dialogue", "value": 5 },
            { "question_id": "overall", "value": overall },
            { "question_id": "comment", "value": "Gọi tôi 0987 654 321 nhé" } ] }),
    );
    (r.status, r.body)
}

fn receive(app: &TestApp, ubnd: &str) -> i64 {
    let procs = app.get("/api/v1/procedures?q=1.004873", Some(ubnd));
    let procedure = procs.body["items"][0]["id"].as_i64().unwrap();
    let r = app.post(
        "/api/v1/dossiers",
        Some(ubnd),
        json!({ "procedure_id": procedure, "channel": 1,
                "applicant": { "name": "Lê Thị Mai", "phone": "0987654321", "id_number": "038190004321", "address": "Thôn 1" } }),
    );
    assert_eq!(r.status, 201, "{}", r.text);
    r.body["id"].as_i64().unwrap()
}

fn onestop_answers(overall: i64) -> Value {
    json!({ "answers": [
        { "question_id": "polite", "value": 5 }, { "question_id": "prompt", "value": 4 },
        { "question_id": "guidance", "value": 4 }, { "question_id": "on_time", "value": 5 },
        { "question_id": "correct", "value": 5 }, { "question_id": "overall", "value": overall },
        { "question_id": "gender", "value": "female" } ] })
}

fn shipped_forms_and_versions(app: &TestApp) {
    let bdh = app.login("bdh").token;
    let forms = app.get("/api/v1/survey-forms", Some(&bdh)).body;
    let codes: Vec<&str> = forms.as_array().unwrap().iter().filter_map(|f| f["code"].as_str()).collect();
    assert_eq!(codes, ["sipas", "onestop", "than_thien"]);
    let sipas = forms.as_array().unwrap().iter().find(|f| f["code"] == "sipas").unwrap();
    assert_eq!(sipas["questions"].as_array().unwrap().iter().filter(|q| q["kind"] == "likert5").count(), 6);
    // A shipped form is read-only.
    let r = app.patch(&format!("/api/v1/survey-forms/{}", sipas["id"]), Some(&bdh), json!({ "title": "x" }));
    assert_eq!((r.status, r.code()), (409, "shipped_form"));
    // A bad form: 422 naming the question.
    let r = app.post(
        "/api/v1/survey-forms",
        Some(&bdh),
        json!({ "title": "Phiếu", "questions": [{ "id": "a", "kind": "single", "text": "Chọn", "options": [{ "id": "x", "text": "X" }] }] }),
    );
    assert_eq!(r.status, 422);
    assert_eq!(r.body["errors"][0]["field"], "questions[0].options");

    let q1 =
        json!([{ "id": "overall", "kind": "likert5", "text": "Hài lòng chung", "required": true, "overall": true }]);
    let f = app.post("/api/v1/survey-forms", Some(&bdh), json!({ "title": "Phiếu thôn", "questions": q1 }));
    assert_eq!(f.status, 201, "{}", f.text);
    let fid = f.body["id"].as_i64().unwrap();
    // Without answers an edit rewrites version 1.
    let q2 = json!([{ "id": "overall", "kind": "likert5", "text": "Mức hài lòng chung", "required": true, "overall": true }]);
    let r = app.patch(&format!("/api/v1/survey-forms/{fid}"), Some(&bdh), json!({ "questions": q2 }));
    assert_eq!((r.status, r.body["version"].as_i64()), (200, Some(1)));
    let s = new_survey(app, &bdh, fid, json!(["paper"]));
    let sid = s["id"].as_i64().unwrap();
    assert_eq!(s["form_version"], 1);
    let r = app.post(
        &format!("/api/v1/surveys/{sid}/responses"),
        Some(&bdh),
        json!({ "client_id": "first-form-0001", "answers": [{ "question_id": "overall", "value": 4 }] }),
    );
    assert_eq!((r.status, r.body["form_version"].as_i64()), (201, Some(1)), "{}", r.text);
    let first = r.body["id"].as_i64().unwrap();
    // With answers, an edit of the questions makes version 2; the answer keeps version 1.
    let q3 = json!([{ "id": "overall", "kind": "likert5", "text": "Mức hài lòng chung", "required": true, "overall": true },
                    { "id": "note", "kind": "text", "text": "Góp ý" }]);
    let r = app.patch(&format!("/api/v1/survey-forms/{fid}"), Some(&bdh), json!({ "questions": q3 }));
    assert_eq!((r.status, r.body["version"].as_i64()), (200, Some(2)));
    assert_eq!(app.get(&format!("/api/v1/surveys/{sid}"), Some(&bdh)).body["form_version"], 2);
    let r = app.post(
        &format!("/api/v1/surveys/{sid}/responses"),
        Some(&bdh),
        json!({ "client_id": "first-form-0001", "answers": [{ "question_id": "overall", "value": 1 }] }),
    );
    assert_eq!((r.status, r.body["id"].as_i64(), r.body["form_version"].as_i64()), (200, Some(first), Some(1)));
    let r = app.post(
        &format!("/api/v1/surveys/{sid}/responses"),
        Some(&bdh),
        json!({ "client_id": "second-form-0002", "answers": [{ "question_id": "overall", "value": 5 }, { "question_id": "note", "value": "Tốt" }] }),
    );
    assert_eq!((r.status, r.body["form_version"].as_i64()), (201, Some(2)));
    // A title-only edit keeps the version.
    let r = app.patch(&format!("/api/v1/survey-forms/{fid}"), Some(&bdh), json!({ "title": "Phiếu thôn (sửa)" }));
    assert_eq!(r.body["version"], 2);
}

fn one_answer_per_dossier(app: &TestApp) {
    let ubnd = app.login("ubnd").token;
    let bdh = app.login("bdh").token;
    let id = receive(app, &ubnd);
    let d = app.get(&format!("/api/v1/dossiers/{id}"), Some(&ubnd)).body;
    let url = d["survey"]["url"].as_str().unwrap().to_string();
    assert!(url.starts_with("/khao-sat/") && url.len() > 30, "{url}");
    assert_eq!(d["survey"]["answered"], false);
    // Form 01 prints the same link.
    let f = app.get(&format!("/api/v1/dossiers/{id}/forms/01"), Some(&ubnd)).body;
    assert_eq!(f["survey_path"].as_str(), Some(url.as_str()));
    let token = url.trim_start_matches("/khao-sat/");
    let p = app.get(&format!("/api/v1/public/surveys/{token}"), None);
    assert_eq!(p.status, 200, "{}", p.text);
    assert!(p.body["notice"].as_str().unwrap().contains("13/2023"));
    assert_eq!(p.body["answered"], false);
    let likert = p.body["questions"].as_array().unwrap().iter().find(|q| q["id"] == "overall").unwrap().clone();
    assert_eq!(likert["options"][0]["text"], "Rất hài lòng");
    // Bad answers: 422 naming the question.
    let r = app.post(
        &format!("/api/v1/public/surveys/{token}/responses"),
        None,
        json!({ "answers": [{ "question_id": "polite", "value": 7 }, { "question_id": "gender", "value": "x" }] }),
    );
    assert_eq!(r.status, 422, "{}", r.text);
    let fields: Vec<&str> = r.body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert!(
        fields.contains(&"answers.polite") && fields.contains(&"answers.gender") && fields.contains(&"answers.overall")
    );
    let mut c = app.conn();
    let today = thanthien::time::today_local();
    let cid: i64 = {
        use diesel::prelude::*;
        use thanthien::db::schema::communes;
        communes::table.select(communes::id).order(communes::id).first(&mut *c).unwrap()
    };
    let before = thanthien::surveys::results::figures(&mut c, cid, today, today).unwrap();
    let r = app.post(&format!("/api/v1/public/surveys/{token}/responses"), None, onestop_answers(2));
    assert_eq!(r.status, 201, "{}", r.text);
    let r = app.post(&format!("/api/v1/public/surveys/{token}/responses"), None, onestop_answers(5));
    assert_eq!((r.status, r.code()), (409, "already_answered"));
    assert_eq!(app.get(&format!("/api/v1/dossiers/{id}"), Some(&ubnd)).body["survey"]["answered"], true);
    assert_eq!(app.get(&format!("/api/v1/public/surveys/{token}"), None).body["answered"], true);
    assert_eq!(app.get("/api/v1/public/surveys/nonexistent-token", None).status, 404);
    // The answer is linked to the dossier's procedure, unit and timeliness.
    let list = app.get("/api/v1/surveys", Some(&bdh)).body;
    let sid =
        list["items"].as_array().unwrap().iter().find(|s| s["per_dossier"] == true).unwrap()["id"].as_i64().unwrap();
    let day = today.format("%Y-%m-%d");
    let r = app.get(&format!("/api/v1/surveys/{sid}/results?group_by=procedure&from={day}&to={day}"), Some(&bdh)).body;
    assert_eq!(r["responses"], 1);
    let g = &r["groups"][0];
    assert!(g["label"].as_str().unwrap().len() > 3 && g["key"].is_string(), "{g}");
    assert_eq!(g["note"], "chưa đủ số phiếu");
    let r = app.get(&format!("/api/v1/surveys/{sid}/results?group_by=timeliness&from={day}&to={day}"), Some(&bdh)).body;
    assert_eq!(r["groups"][0]["key"], "open");
    // Figures for the year-end evaluation count the answer and its dislike.
    let after = thanthien::surveys::results::figures(&mut c, cid, today, today).unwrap();
    assert_eq!(after.dossier_responses, before.dossier_responses + 1);
    assert_eq!(after.dossier_dislikes, before.dossier_dislikes + 1);
    assert_eq!(after.responses, before.responses + 1);
}

fn client_id_idempotent_under_concurrent_submit(app: &TestApp) {
    let mttq = app.login("mttq").token;
    let form = form_id(app, &mttq, "than_thien");
    let sid = new_survey(app, &mttq, form, json!(["paper", "village"]))["id"].as_i64().unwrap();
    for round in 0..3 {
        let cid = format!("concurrent-{round}-abcdef");
        let (a, b) = std::thread::scope(|s| {
            let h1 = s.spawn(|| paper(app, &mttq, sid, &cid, 4));
            let h2 = s.spawn(|| paper(app, &mttq, sid, &cid, 4));
            (h1.join().unwrap(), h2.join().unwrap())
        });
        let mut statuses = [a.0, b.0];
        statuses.sort();
        assert_eq!(statuses, [200, 201], "{a:?} {b:?}");
        assert_eq!(a.1["id"], b.1["id"]);
    }
    let r = app.get(&format!("/api/v1/surveys/{sid}/results"), Some(&mttq)).body;
    assert_eq!(r["responses"], 3);
    // A village head captures for the own village.
    let thon1 = app.login("thon1").token;
    let r = app.post(
        &format!("/api/v1/surveys/{sid}/responses"),
        Some(&thon1),
        json!({ "client_id": "village-capture-01", "answers": [
            { "question_id": "attitude", "value": 5 }, { "question_id": "listen", "value": 5 },
            { "question_id": "info", "value": 5 }, { "question_id": "dialogue", "value": 5 },
            { "question_id": "overall", "value": 5 } ] }),
    );
    assert_eq!((r.status, r.body["channel"].as_str()), (201, Some("village")), "{}", r.text);
    // A paper form is corrected; the audit log keeps before and after.
    let first = paper(app, &mttq, sid, "concurrent-0-abcdef", 4).1;
    let rid = first["id"].as_i64().unwrap();
    let r = app.send(
        "PUT",
        &format!("/api/v1/surveys/{sid}/responses/{rid}"),
        Some(&mttq),
        Some(json!({ "answers": [
            { "question_id": "attitude", "value": 2 }, { "question_id": "listen", "value": 4 },
            { "question_id": "info", "value": 3 }, { "question_id": "dialogue", "value": 5 },
            { "question_id": "overall", "value": 2 } ] })),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    let bdh = app.login("bdh").token;
    let audit = app.get("/api/v1/audit?entity=survey_response", Some(&bdh));
    assert!(audit.text.contains("correct"), "{}", audit.text);
    // Free text is masked of phone numbers.
    let r = app.get(&format!("/api/v1/surveys/{sid}/results"), Some(&mttq)).body;
    let texts: Vec<&str> = r["free_text"].as_array().unwrap().iter().map(|t| t["text"].as_str().unwrap()).collect();
    assert!(!texts.is_empty() && texts.iter().all(|t| t.contains("[đã ẩn số]") && !t.contains("654")), "{texts:?}");
}

fn tallies_add_up(app: &TestApp) {
    let bdh = app.login("bdh").token;
    let form = form_id(app, &bdh, "than_thien");
    let sid = new_survey(app, &bdh, form, json!(["paper"]))["id"].as_i64().unwrap();
    let t5 = app.unit_id(&bdh, "T5");
    let tally = json!({ "forms": 20, "collected_on": "2024-12-15", "village_id": t5,
        "counts": { "overall": { "5": 8, "4": 6, "3": 3, "2": 2, "1": 1 }, "attitude": { "5": 10, "4": 10 },
                    "channels": { "loudspeaker": 15, "village_meeting": 12 } } });
    let r = app.post(&format!("/api/v1/surveys/{sid}/tallies"), Some(&bdh), tally);
    assert_eq!(r.status, 201, "{}", r.text);
    let tid = r.body["id"].as_i64().unwrap();
    // Counts that exceed the forms: 422 naming the question.
    let r = app.post(
        &format!("/api/v1/surveys/{sid}/tallies"),
        Some(&bdh),
        json!({ "forms": 5, "collected_on": "2024-12-15", "counts": { "overall": { "5": 4, "4": 3 } } }),
    );
    assert_eq!((r.status, r.body["errors"][0]["field"].as_str()), (422, Some("counts.overall")));
    // Forms collected before the survey began (2024-01-01): 422 on the date.
    let r = app.post(
        &format!("/api/v1/surveys/{sid}/tallies"),
        Some(&bdh),
        json!({ "forms": 5, "collected_on": "2023-12-31", "counts": { "overall": { "5": 4 } } }),
    );
    assert_eq!(
        (r.status, r.body["errors"][0]["field"].as_str(), r.body["errors"][0]["code"].as_str()),
        (422, Some("collected_on"), Some("before_start")),
        "{}",
        r.text
    );
    for i in 0..3 {
        assert_eq!(paper(app, &bdh, sid, &format!("paper-form-{i:04}"), 5).0, 201);
    }
    let r = app.get(&format!("/api/v1/surveys/{sid}/results"), Some(&bdh)).body;
    assert_eq!(r["responses"], 23);
    let q = |id: &str| r["questions"].as_array().unwrap().iter().find(|q| q["id"] == id).unwrap().clone();
    let overall = q("overall");
    assert_eq!(overall["n"], 23);
    assert_eq!(overall["distribution"]["5"], 11);
    assert_eq!(overall["distribution"]["1"], 1);
    // Overall: 17 of 23 satisfied; every likert answer: overall 17/23 + attitude 23/23 +
    // listen 3/3 + info 0/3 + dialogue 3/3 = 46 of 55.
    assert_eq!(overall["satisfaction_index"].as_f64(), Some(0.7391));
    assert_eq!(r["satisfaction_index"].as_f64(), Some(0.8364));
    assert_eq!(q("channels")["distribution"]["loudspeaker"], 15);
    // The export says every answer in words: a choice as the form wrote it, a five-point answer
    // with the scale's words in the export's language (never the option's code).
    let csv = app.get(&format!("/api/v1/surveys/{sid}/results.csv"), Some(&bdh)).text;
    assert!(csv.contains("Loa truyền thanh,15") && csv.contains("5 – Rất hài lòng"), "{csv}");
    assert!(!csv.contains(",loudspeaker,") && !csv.contains(",village_meeting,"), "{csv}");
    let en = app.get(&format!("/api/v1/surveys/{sid}/results.csv?lang=en"), Some(&bdh)).text;
    assert!(en.contains("5 – Very satisfied"), "{en}");
    // By village: the tally is T5's; the three forms carry no village.
    let r = app.get(&format!("/api/v1/surveys/{sid}/results?group_by=village"), Some(&bdh)).body;
    let g = r["groups"].as_array().unwrap();
    let t5k = t5.to_string();
    let t5g = g.iter().find(|x| x["key"] == t5k.as_str()).unwrap();
    assert_eq!((t5g["responses"].as_i64(), t5g["rank"].as_i64()), (Some(20), Some(1)));
    let none = g.iter().find(|x| x["key"].is_null()).unwrap();
    assert_eq!((none["responses"].as_i64(), none["note"].as_str()), (Some(3), Some("chưa đủ số phiếu")));
    assert!(none["rank"].is_null() && none["satisfaction_index"].is_null());
    // A correction: the results follow, the audit keeps the history.
    let r = app.send(
        "PUT",
        &format!("/api/v1/surveys/{sid}/tallies/{tid}"),
        Some(&bdh),
        Some(json!({ "forms": 10, "collected_on": "2024-12-15", "counts": { "overall": { "5": 10 } } })),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    let r = app.get(&format!("/api/v1/surveys/{sid}/results"), Some(&bdh)).body;
    assert_eq!(r["responses"], 13);
    let audit = app.get("/api/v1/audit?entity=survey_tally", Some(&bdh));
    assert!(audit.text.contains("correct") && audit.text.contains("before"), "{}", audit.text);
    // Exports: Vietnamese headers, English with ?lang=en.
    let csv = app.get(&format!("/api/v1/surveys/{sid}/results.csv"), Some(&bdh));
    assert!(csv.text.contains("Câu hỏi") && csv.text.contains("Tỷ lệ hài lòng"), "{}", csv.text);
    let csv = app.get(&format!("/api/v1/surveys/{sid}/results.csv?lang=en"), Some(&bdh));
    assert!(csv.text.contains("Question") && csv.text.contains("Satisfaction index"));
    assert_eq!(app.get(&format!("/api/v1/surveys/{sid}/results.xlsx"), Some(&bdh)).status, 200);
}

fn minimum_sample(app: &TestApp) {
    let bdh = app.login("bdh").token;
    let form = form_id(app, &bdh, "than_thien");
    let sid = new_survey(app, &bdh, form, json!(["paper"]))["id"].as_i64().unwrap();
    for i in 0..9 {
        paper(app, &bdh, sid, &format!("sample-form-{i:04}"), 5);
    }
    let r = app.get(&format!("/api/v1/surveys/{sid}/results?group_by=month"), Some(&bdh)).body;
    assert_eq!(r["responses"], 9);
    assert!(r["satisfaction_index"].is_null());
    assert_eq!(r["note"], "chưa đủ số phiếu");
    assert!(r["groups"][0]["satisfaction_index"].is_null());
    paper(app, &bdh, sid, "sample-form-0010", 5);
    let r = app.get(&format!("/api/v1/surveys/{sid}/results?group_by=month"), Some(&bdh)).body;
    assert_eq!(r["responses"], 10);
    assert!(r["satisfaction_index"].as_f64().is_some());
    assert!(r["note"].is_null());
    let g = &r["groups"][0];
    assert!(g["satisfaction_index"].as_f64().is_some());
    assert!(g["rank"].is_null(), "months are not ranked");
}

fn open_link_flags_duplicates(app: &TestApp) {
    let bdh = app.login("bdh").token;
    let form = form_id(app, &bdh, "than_thien");
    let s = new_survey(app, &bdh, form, json!(["link"]));
    let token = s["public_path"].as_str().unwrap().trim_start_matches("/khao-sat/").to_string();
    let body = json!({ "device": "kiosk-1", "answers": [
        { "question_id": "attitude", "value": 5 }, { "question_id": "listen", "value": 5 },
        { "question_id": "info", "value": 5 }, { "question_id": "dialogue", "value": 5 },
        { "question_id": "overall", "value": 5 } ] });
    for _ in 0..2 {
        let r = app.post(&format!("/api/v1/public/surveys/{token}/responses"), None, body.clone());
        assert_eq!(r.status, 201, "{}", r.text);
    }
    let r = app.get(&format!("/api/v1/surveys/{}/results", s["id"]), Some(&bdh)).body;
    assert_eq!((r["responses"].as_i64(), r["duplicates_flagged"].as_i64()), (Some(2), Some(1)));
    // The province reading the index learns how many of its answers are such repeats.
    let today = thanthien::time::today_local();
    let tinh = app.login("tinh").token;
    let agg = app.get(&format!("/api/v1/survey-aggregates?from={today}&to={today}"), Some(&tinh)).body;
    let mine = agg["communes"].as_array().unwrap().iter().find(|c| c["duplicates_flagged"].as_i64() >= Some(1));
    assert!(mine.is_some(), "{agg}");
    assert!(agg["total"]["duplicates_flagged"].as_i64() >= mine.unwrap()["duplicates_flagged"].as_i64(), "{agg}");
    // A closed survey's link is 404.
    app.patch(&format!("/api/v1/surveys/{}", s["id"]), Some(&bdh), json!({ "ends_on": "2024-01-31" }));
    assert_eq!(app.get(&format!("/api/v1/public/surveys/{token}"), None).status, 404);
}

fn scope_and_permissions(app: &TestApp) {
    let bdh = app.login("bdh").token;
    let form = form_id(app, &bdh, "than_thien");
    let sid = new_survey(app, &bdh, form, json!(["paper"]))["id"].as_i64().unwrap();
    let other = app.second_commune();
    assert_eq!(app.get(&format!("/api/v1/surveys/{sid}"), Some(&other.token)).status, 404);
    // Village heads capture, but do not run surveys.
    let thon1 = app.login("thon1").token;
    let r = app.post(
        &format!("/api/v1/surveys/{sid}/tallies"),
        Some(&thon1),
        json!({ "forms": 1, "collected_on": "2024-12-01", "counts": {} }),
    );
    assert_eq!(r.status, 403);
    // The one-stop officer reads aggregates, never who answered.
    let ubnd = app.login("ubnd").token;
    let r = app.get(&format!("/api/v1/surveys/{sid}/results"), Some(&ubnd));
    assert_eq!(r.status, 200);
    assert!(!r.text.contains("dossier_id"));
}

fn index_5_4_by_hand(app: &TestApp) {
    crate::indicators::march(app);
    let admin = app.login("admin2").token;
    let find = |code: &str| {
        let r = app.get(&format!("/api/v1/dossiers?q={code}"), Some(&admin));
        r.body["items"][0]["id"].as_i64().unwrap()
    };
    let (d1, d2) = (find("XB-D1"), find("XB-D2"));
    for (d, overall) in [(d1, 1), (d2, 5)] {
        let url =
            app.get(&format!("/api/v1/dossiers/{d}"), Some(&admin)).body["survey"]["url"].as_str().unwrap().to_string();
        let r = app.post(&format!("/api/v1/public/surveys/{}/responses", &url[10..]), None, onestop_answers(overall));
        assert_eq!(r.status, 201, "{}", r.text);
    }
    let idx = |app: &TestApp| {
        let r = app.get("/api/v1/onestop/index766?from=2025-03-01&to=2025-03-31", Some(&admin)).body;
        r["indicators"].as_array().unwrap().iter().find(|i| i["code"] == "5.4").unwrap().clone()
    };
    // Answered today, not in March: 5.4 still does not apply to March.
    assert_eq!(idx(app)["applicable"], false);
    {
        use diesel::prelude::*;
        let mut c = app.conn();
        diesel::sql_query("UPDATE survey_responses SET answered_at = '2025-03-20 03:00:00'").execute(&mut *c).unwrap();
    }
    // By hand: 8 dossiers counted (as 2.1), 3 late; D1 disliked, no complaint known:
    // ratio = 1 − (3/8 + 1/8) = 0.5; score = 6 × 0.5 / 0.9 = 3.33; numerator 8 − 3 − 1 = 4.
    let i = idx(app);
    assert_eq!(i["applicable"], true, "{i}");
    assert_eq!((i["numerator"].as_i64(), i["denominator"].as_i64()), (Some(4), Some(8)));
    assert_eq!(i["ratio"].as_f64(), Some(0.5));
    assert_eq!(i["score"].as_f64(), Some(3.33));
}

/// Entered paper forms are listed newest first and each carries its history (entry, then
/// corrections with before and after); a village head lists and reads only the own captures.
fn entered_answers_and_history(app: &TestApp) {
    let mttq = app.login("mttq").token;
    let form = form_id(app, &mttq, "than_thien");
    let sid = new_survey(app, &mttq, form, json!(["paper", "village"]))["id"].as_i64().unwrap();
    let first = paper(app, &mttq, sid, "history-0001-x", 5).1["id"].as_i64().unwrap();
    let second = paper(app, &mttq, sid, "history-0002-x", 3).1["id"].as_i64().unwrap();
    let r = app.send(
        "PUT",
        &format!("/api/v1/surveys/{sid}/responses/{first}"),
        Some(&mttq),
        Some(json!({ "answers": [
            { "question_id": "attitude", "value": 1 }, { "question_id": "listen", "value": 1 },
            { "question_id": "info", "value": 1 }, { "question_id": "dialogue", "value": 1 },
            { "question_id": "overall", "value": 1 } ] })),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    let list = app.get(&format!("/api/v1/surveys/{sid}/responses"), Some(&mttq));
    assert_eq!(list.status, 200, "{}", list.text);
    let ids: Vec<i64> = list.body["items"].as_array().unwrap().iter().map(|r| r["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, [second, first]);
    assert_eq!(list.body["total"], 2);
    let d = app.get(&format!("/api/v1/surveys/{sid}/responses/{first}"), Some(&mttq));
    assert_eq!(d.status, 200, "{}", d.text);
    let overall = d.body["response"]["answers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["question_id"] == "overall")
        .unwrap()
        .clone();
    assert_eq!(overall["value"], 1);
    let actions: Vec<&str> =
        d.body["history"].as_array().unwrap().iter().map(|h| h["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["correct", "enter"]);
    let before = &d.body["history"][0]["summary"]["before"];
    assert!(before.as_array().unwrap().iter().any(|a| a["question_id"] == "overall" && a["value"] == 5), "{before}");
    // The results follow the correction: overall is 1 and 3, no 5 left.
    let r = app.get(&format!("/api/v1/surveys/{sid}/results"), Some(&mttq)).body;
    let q = r["questions"].as_array().unwrap().iter().find(|q| q["id"] == "overall").unwrap().clone();
    assert_eq!((q["distribution"]["5"].as_i64(), q["distribution"]["1"].as_i64()), (Some(0), Some(1)));
    // A village head: the own captures only.
    let thon1 = app.login("thon1").token;
    let r = app.post(
        &format!("/api/v1/surveys/{sid}/responses"),
        Some(&thon1),
        json!({ "client_id": "history-village-01", "answers": [
            { "question_id": "attitude", "value": 4 }, { "question_id": "listen", "value": 4 },
            { "question_id": "info", "value": 4 }, { "question_id": "dialogue", "value": 4 },
            { "question_id": "overall", "value": 4 } ] }),
    );
    assert_eq!(r.status, 201, "{}", r.text);
    let mine = r.body["id"].as_i64().unwrap();
    let list = app.get(&format!("/api/v1/surveys/{sid}/responses"), Some(&thon1)).body;
    let ids: Vec<i64> = list["items"].as_array().unwrap().iter().map(|r| r["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, [mine]);
    assert_eq!(app.get(&format!("/api/v1/surveys/{sid}/responses/{first}"), Some(&thon1)).status, 404);
    assert_eq!(app.get(&format!("/api/v1/surveys/{sid}/responses/{mine}"), Some(&thon1)).status, 200);
    assert_eq!(app.get(&format!("/api/v1/surveys/{sid}/responses"), Some(&mttq)).body["total"], 3);
}

/// Rows of the tables a read must never write: surveys, dossier tokens, responses, audit.
fn written_rows(app: &TestApp) -> [i64; 4] {
    use diesel::dsl::count_star;
    use diesel::prelude::*;
    use thanthien::db::schema::{audit_log, survey_dossier_tokens, survey_responses, surveys};
    let mut c = app.conn();
    [
        surveys::table.select(count_star()).first(&mut *c).unwrap(),
        survey_dossier_tokens::table.select(count_star()).first(&mut *c).unwrap(),
        survey_responses::table.select(count_star()).first(&mut *c).unwrap(),
        audit_log::table.select(count_star()).first(&mut *c).unwrap(),
    ]
}

/// `GET /public/surveys/{token}` is read only: a dossier of a commune with no per-dossier
/// survey yet shows the one-stop form without opening a survey or making a token; the first
/// answer (a POST) opens it.
fn public_get_never_writes(app: &TestApp) {
    crate::indicators::march(app);
    let admin = app.login("admin2").token;
    let r = app.get("/api/v1/dossiers?q=XB-D1", Some(&admin));
    let d = r.body["items"][0]["id"].as_i64().unwrap();
    let url =
        app.get(&format!("/api/v1/dossiers/{d}"), Some(&admin)).body["survey"]["url"].as_str().unwrap().to_string();
    let token = url.trim_start_matches("/khao-sat/").to_string();
    assert!(app.get("/api/v1/surveys", Some(&admin)).body["items"].as_array().unwrap().is_empty());
    let before = written_rows(app);
    for _ in 0..3 {
        let p = app.get(&format!("/api/v1/public/surveys/{token}"), None);
        assert_eq!(p.status, 200, "{}", p.text);
        assert_eq!(p.body["answered"], false);
        assert_eq!(p.body["title"], "Đánh giá sự hài lòng theo từng hồ sơ");
        assert!(p.body["questions"].as_array().unwrap().iter().any(|q| q["id"] == "overall"));
    }
    assert_eq!(app.get("/api/v1/public/surveys/unknown-token-000", None).status, 404);
    // The dossier detail reads the token; none of it writes.
    assert_eq!(app.get(&format!("/api/v1/dossiers/{d}"), Some(&admin)).status, 200);
    assert!(app.get("/api/v1/surveys", Some(&admin)).body["items"].as_array().unwrap().is_empty());
    assert_eq!(written_rows(app), before);
    // The answer opens the commune's per-dossier survey (and is audited).
    let r = app.post(&format!("/api/v1/public/surveys/{token}/responses"), None, onestop_answers(4));
    assert_eq!(r.status, 201, "{}", r.text);
    let after = written_rows(app);
    assert_eq!((after[0], after[1], after[2]), (before[0] + 1, before[1], before[2] + 1));
    assert!(after[3] >= before[3] + 2, "survey opened and answer recorded in the audit log");
    let p = app.get(&format!("/api/v1/public/surveys/{token}"), None);
    assert_eq!(p.body["answered"], true);
    assert_eq!(written_rows(app), after);
}

/// A tiny deterministic generator (no dependency needed for test data).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

/// The results the API answers are read from the counts kept on every write; on random data
/// (paper and village answers on random days, corrections, link answers, dossier answers, the
/// demo's surveys) they equal a recount from the response rows, for every breakdown and period,
/// and a full recount of the kept counts changes nothing.
fn kept_counts_equal_a_recount(app: &TestApp) {
    use thanthien::surveys::model::{GroupBy, ResultsQuery};
    let bdh = app.login("bdh").token;
    let ubnd = app.login("ubnd").token;
    let thon1 = app.login("thon1").token;
    let mut rnd = Lcg(20261203);
    let form = form_id(app, &bdh, "than_thien");
    let s = new_survey(app, &bdh, form, json!(["paper", "village", "link"]));
    let sid = s["id"].as_i64().unwrap();
    let token = s["public_path"].as_str().unwrap().trim_start_matches("/khao-sat/").to_string();
    let qs = ["attitude", "listen", "info", "dialogue", "overall"];
    let mut entered = Vec::new();
    for i in 0..60 {
        let day = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap() + chrono::Duration::days(rnd.next(700) as i64);
        let day = day.min(thanthien::time::today_local());
        let mut answers: Vec<Value> =
            qs.iter().map(|q| json!({ "question_id": q, "value": 1 + rnd.next(5) })).collect();
        if rnd.next(3) == 0 {
            answers.push(json!({ "question_id": "comment", "value": "Ý kiến thêm" }));
        }
        let who = if i % 3 == 0 { &thon1 } else { &bdh };
        let r = app.post(
            &format!("/api/v1/surveys/{sid}/responses"),
            Some(who),
            json!({ "client_id": format!("recount-{i:04}-x"), "answered_on": day, "answers": answers }),
        );
        assert_eq!(r.status, 201, "{}", r.text);
        entered.push(r.body["id"].as_i64().unwrap());
    }
    // Corrections move counts from one answer to another.
    for rid in entered.iter().step_by(4) {
        let answers: Vec<Value> = qs.iter().map(|q| json!({ "question_id": q, "value": 1 + rnd.next(5) })).collect();
        let r = app.send(
            "PUT",
            &format!("/api/v1/surveys/{sid}/responses/{rid}"),
            Some(&bdh),
            Some(json!({ "answers": answers })),
        );
        assert_eq!(r.status, 200, "{}", r.text);
    }
    for _ in 0..12 {
        let answers: Vec<Value> = qs.iter().map(|q| json!({ "question_id": q, "value": 1 + rnd.next(5) })).collect();
        let r = app.post(
            &format!("/api/v1/public/surveys/{token}/responses"),
            None,
            json!({ "device": "kiosk-recount", "answers": answers }),
        );
        assert_eq!(r.status, 201, "{}", r.text);
    }
    let r = app.post(
        &format!("/api/v1/surveys/{sid}/tallies"),
        Some(&bdh),
        json!({ "forms": 7, "collected_on": "2024-06-03", "counts": { "overall": { "5": 4, "2": 3 } } }),
    );
    assert_eq!(r.status, 201, "{}", r.text);
    // Dossier answers: procedure, field, unit and timeliness.
    for _ in 0..4 {
        let id = receive(app, &ubnd);
        let url =
            app.get(&format!("/api/v1/dossiers/{id}"), Some(&ubnd)).body["survey"]["url"].as_str().unwrap().to_string();
        let r = app.post(
            &format!("/api/v1/public/surveys/{}/responses", &url[10..]),
            None,
            onestop_answers(1 + rnd.next(5) as i64),
        );
        assert_eq!(r.status, 201, "{}", r.text);
    }
    let list = app.get("/api/v1/surveys?per_page=100", Some(&bdh)).body;
    let ids: Vec<i64> = list["items"].as_array().unwrap().iter().map(|s| s["id"].as_i64().unwrap()).collect();
    assert!(ids.len() >= 3 && ids.contains(&sid));
    let cid = {
        use diesel::prelude::*;
        use thanthien::db::schema::surveys;
        let mut c = app.conn();
        surveys::table.find(sid).select(surveys::commune_id).first::<i64>(&mut *c).unwrap()
    };
    let groups = [
        None,
        Some(GroupBy::Procedure),
        Some(GroupBy::Field),
        Some(GroupBy::Unit),
        Some(GroupBy::Channel),
        Some(GroupBy::Timeliness),
        Some(GroupBy::Month),
        Some(GroupBy::Village),
    ];
    let compare = |rnd: &mut Lcg| {
        let mut c = app.conn();
        let mut compared = 0;
        for &survey in &ids {
            for by in groups {
                let from =
                    chrono::NaiveDate::from_ymd_opt(2023, 6, 1).unwrap() + chrono::Duration::days(rnd.next(900) as i64);
                let to = from + chrono::Duration::days(rnd.next(400) as i64);
                for (f, t) in [(None, None), (Some(from), Some(to)), (Some(from), None), (None, Some(to))] {
                    let q = ResultsQuery { group_by: by, from: f, to: t, lang: None };
                    let kept = thanthien::surveys::results::results(&mut c, cid, survey, &q).unwrap();
                    let rows = thanthien::surveys::results::results_from_rows(&mut c, cid, survey, &q).unwrap();
                    assert_eq!(
                        serde_json::to_value(&kept).unwrap(),
                        serde_json::to_value(&rows).unwrap(),
                        "survey {survey} by {by:?} {f:?}–{t:?}"
                    );
                    compared += 1;
                }
            }
        }
        compared
    };
    assert_eq!(compare(&mut rnd), ids.len() * 32);
    // The API answers the kept counts: the whole-period total matches what was entered.
    let r = app.get(&format!("/api/v1/surveys/{sid}/results?group_by=channel"), Some(&bdh)).body;
    assert_eq!(r["responses"], 60 + 12 + 7);
    // A recount of the kept counts from the rows changes nothing.
    {
        let mut c = app.conn();
        for &survey in &ids {
            thanthien::surveys::repo::recount(&mut c, survey).unwrap();
        }
    }
    compare(&mut rnd);
}

/// Oversight reads survey aggregates across its communes: counts and the index per commune
/// with the minimum sample, never an answer; a commune user reads its own commune only.
fn aggregates_across_communes(app: &TestApp) {
    let other = app.second_commune();
    let bdh = app.login("bdh").token;
    let form = form_id(app, &bdh, "than_thien");
    let sid = new_survey(app, &bdh, form, json!(["paper"]))["id"].as_i64().unwrap();
    let today = thanthien::time::today_local();
    for i in 0..12 {
        assert_eq!(paper(app, &bdh, sid, &format!("aggregate-{i:04}"), 5).0, 201);
    }
    let tinh = app.login("tinh").token;
    let r = app.get(&format!("/api/v1/survey-aggregates?from={today}&to={today}"), Some(&tinh));
    assert_eq!(r.status, 200, "{}", r.text);
    let communes = r.body["communes"].as_array().unwrap();
    assert!(communes.len() >= 2, "{}", r.text);
    let mine = communes.iter().find(|c| c["responses"].as_i64().unwrap() >= 12).unwrap();
    assert!(mine["satisfaction_index"].as_f64().unwrap() > 0.5);
    assert_eq!(mine["rank"], 1);
    let empty = communes.iter().find(|c| c["responses"] == 0).unwrap();
    assert!(empty["satisfaction_index"].is_null() && empty["rank"].is_null());
    assert_eq!(empty["note"], "chưa đủ số phiếu");
    assert_eq!(r.body["minimum_sample"], 10);
    assert!(r.body["total"]["responses"].as_i64().unwrap() >= 12);
    // Never an answer, a comment or a dossier.
    for word in ["free_text", "answers", "dossier", "[đã ẩn số]", "Gọi tôi"] {
        assert!(!r.text.contains(word), "{word}: {}", r.text);
    }
    // One commune of the province; one outside is 404; a reversed period is 422.
    let one = mine["commune_id"].as_i64().unwrap();
    let r1 = app.get(&format!("/api/v1/survey-aggregates?commune_id={one}&from={today}&to={today}"), Some(&tinh));
    assert_eq!(r1.body["communes"].as_array().unwrap().len(), 1);
    assert_eq!(app.get("/api/v1/survey-aggregates?commune_id=999999", Some(&tinh)).status, 404);
    assert_eq!(app.get("/api/v1/survey-aggregates?from=2025-02-01&to=2025-01-01", Some(&tinh)).status, 422);
    // Fewer than ten answers: no index, no rank.
    let r = app.get("/api/v1/survey-aggregates?from=2020-01-01&to=2020-12-31", Some(&tinh)).body;
    assert!(r["communes"].as_array().unwrap().iter().all(|c| c["satisfaction_index"].is_null() && c["rank"].is_null()));
    // A commune user sees its own commune only.
    let r = app.get("/api/v1/survey-aggregates", Some(&other.token)).body;
    let names: Vec<&str> = r["communes"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Xuân Bình"]);
}

/// A tally's history: its entry, then every correction with before and after, newest first,
/// each with the person who made it (the full name, never the login); only a tally of this
/// survey of the caller's commune, only to whom runs surveys.
fn tally_history(app: &TestApp) {
    let bdh = app.login("bdh").token;
    let form = form_id(app, &bdh, "than_thien");
    let sid = new_survey(app, &bdh, form, json!(["paper"]))["id"].as_i64().unwrap();
    let r = app.post(
        &format!("/api/v1/surveys/{sid}/tallies"),
        Some(&bdh),
        json!({ "forms": 20, "collected_on": "2024-12-15", "counts": { "overall": { "5": 8, "4": 6 } } }),
    );
    assert_eq!(r.status, 201, "{}", r.text);
    let tid = r.body["id"].as_i64().unwrap();
    let put = |body: Value| {
        let r = app.send("PUT", &format!("/api/v1/surveys/{sid}/tallies/{tid}"), Some(&bdh), Some(body));
        assert_eq!(r.status, 200, "{}", r.text);
    };
    put(json!({ "forms": 20, "collected_on": "2024-12-15", "counts": { "overall": { "5": 10, "4": 6 } } }));
    put(json!({ "forms": 22, "collected_on": "2024-12-16", "note": "Thêm 2 phiếu thôn 3",
                "counts": { "overall": { "5": 12, "4": 6 } } }));
    let d = app.get(&format!("/api/v1/surveys/{sid}/tallies/{tid}"), Some(&bdh));
    assert_eq!(d.status, 200, "{}", d.text);
    assert_eq!((d.body["tally"]["id"].as_i64(), d.body["tally"]["forms"].as_i64()), (Some(tid), Some(22)));
    assert_eq!(d.body["tally"]["counts"]["overall"]["5"], 12);
    let h = d.body["history"].as_array().unwrap();
    let actions: Vec<&str> = h.iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["correct", "correct", "create"]);
    // Newest first: the second correction (forms, date, note, a count), the first (a count), the entry.
    let (second, first, entry) = (&h[0]["summary"], &h[1]["summary"], &h[2]["summary"]);
    assert_eq!((second["before"]["forms"].as_i64(), second["after"]["forms"].as_i64()), (Some(20), Some(22)));
    assert_eq!(
        (second["before"]["collected_on"].as_str(), second["after"]["collected_on"].as_str()),
        (Some("2024-12-15"), Some("2024-12-16"))
    );
    assert_eq!(second["after"]["note"], "Thêm 2 phiếu thôn 3");
    assert_eq!(
        (second["before"]["counts"]["overall"]["5"].as_i64(), second["after"]["counts"]["overall"]["5"].as_i64()),
        (Some(10), Some(12))
    );
    assert_eq!(
        (first["before"]["counts"]["overall"]["5"].as_i64(), first["after"]["counts"]["overall"]["5"].as_i64()),
        (Some(8), Some(10))
    );
    assert_eq!((first["before"]["forms"].as_i64(), first["after"]["forms"].as_i64()), (Some(20), Some(20)));
    assert_eq!((entry["forms"].as_i64(), entry["counts"]["overall"]["5"].as_i64()), (Some(20), Some(8)));
    // Who: the board member's full name on every entry; the login stays in `username`.
    let name = app.get("/api/v1/auth/me", Some(&bdh)).body["user"]["full_name"].as_str().unwrap().to_string();
    assert!(!name.is_empty() && name != "bdh");
    assert!(h.iter().all(|e| e["who"] == name.as_str() && e["username"] == "bdh"), "{h:?}");
    let at: Vec<&str> = h.iter().map(|e| e["at"].as_str().unwrap()).collect();
    assert!(at.windows(2).all(|w| w[0] >= w[1]), "newest first: {at:?}");
    // The Front runs surveys too and reads it.
    assert_eq!(app.get(&format!("/api/v1/surveys/{sid}/tallies/{tid}"), Some(&app.login("mttq").token)).status, 200);
    // A tally of another survey: 404; an unknown one: 404.
    let other_sid = new_survey(app, &bdh, form, json!(["paper"]))["id"].as_i64().unwrap();
    assert_eq!(app.get(&format!("/api/v1/surveys/{other_sid}/tallies/{tid}"), Some(&bdh)).status, 404);
    assert_eq!(app.get(&format!("/api/v1/surveys/{sid}/tallies/999999"), Some(&bdh)).status, 404);
    // Another commune's board: 404, for the survey and for its own survey's id with our tally.
    let bdh2 = app.second_commune_board().token;
    assert_eq!(app.get(&format!("/api/v1/surveys/{sid}/tallies/{tid}"), Some(&bdh2)).status, 404);
    let form2 = form_id(app, &bdh2, "than_thien");
    let sid2 = new_survey(app, &bdh2, form2, json!(["paper"]))["id"].as_i64().unwrap();
    assert_eq!(app.get(&format!("/api/v1/surveys/{sid2}/tallies/{tid}"), Some(&bdh2)).status, 404);
    // Roles that do not run surveys: 403 (a village head captures, the desk reads results).
    for who in ["thon1", "ubnd", "admin"] {
        let r = app.get(&format!("/api/v1/surveys/{sid}/tallies/{tid}"), Some(&app.login(who).token));
        assert_eq!((r.status, r.code()), (403, "forbidden"), "{who}: {}", r.text);
    }
    assert_eq!(app.get(&format!("/api/v1/surveys/{sid}/tallies/{tid}"), None).status, 401);
}

/// The date a paper form or a capture was given: today when absent; a past date within the
/// survey is kept; a future date or one before the survey opened is a 422 naming `answered_on`.
fn answered_on_within_the_survey(app: &TestApp) {
    let bdh = app.login("bdh").token;
    let thon1 = app.login("thon1").token;
    let form = form_id(app, &bdh, "than_thien");
    let sid = new_survey(app, &bdh, form, json!(["paper", "village"]))["id"].as_i64().unwrap();
    let today = thanthien::time::today_local();
    let answers = json!([{ "question_id": "attitude", "value": 4 }, { "question_id": "listen", "value": 4 },
        { "question_id": "info", "value": 4 }, { "question_id": "dialogue", "value": 4 }, { "question_id": "overall", "value": 4 }]);
    let send = |who: &str, client: &str, on: Value| {
        let mut body = json!({ "client_id": client, "answers": answers });
        if !on.is_null() {
            body["answered_on"] = on;
        }
        app.post(&format!("/api/v1/surveys/{sid}/responses"), Some(who), body)
    };
    let day = |r: &crate::harness::Res| r.body["answered_at"].as_str().unwrap().get(..10).unwrap().to_string();
    // Absent: today (the commune's date).
    let r = send(&thon1, "answered-on-0001", Value::Null);
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(day(&r), today.to_string());
    // A past date within the survey, by a village head and by the board.
    let past = today - chrono::Duration::days(9);
    let r = send(&thon1, "answered-on-0002", json!(past));
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(day(&r), past.to_string());
    let r = send(&bdh, "answered-on-0003", json!("2024-01-01"));
    assert_eq!((r.status, day(&r)), (201, "2024-01-01".to_string()), "{}", r.text);
    // The staff list shows the date kept.
    let list = app.get(&format!("/api/v1/surveys/{sid}/responses"), Some(&bdh)).body;
    let days: Vec<String> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["answered_at"].as_str().unwrap()[..10].to_string())
        .collect();
    assert!(days.contains(&past.to_string()) && days.contains(&"2024-01-01".to_string()), "{days:?}");
    // Tomorrow, or the day before the survey opened (2024-01-01): 422 on `answered_on`.
    for (who, client, on, code) in [
        (&thon1, "answered-on-0004", json!(today + chrono::Duration::days(1)), "in_future"),
        (&bdh, "answered-on-0005", json!("2023-12-31"), "before_start"),
        (&thon1, "answered-on-0006", json!("2023-12-31"), "before_start"),
    ] {
        let r = send(who, client, on);
        assert_eq!(r.status, 422, "{}", r.text);
        assert_eq!(
            (r.body["errors"][0]["field"].as_str(), r.body["errors"][0]["code"].as_str()),
            (Some("answered_on"), Some(code)),
            "{}",
            r.text
        );
        assert!(r.body["errors"][0]["message"].as_str().unwrap().contains("Ngày trả lời"), "{}", r.text);
    }
    assert_eq!(app.get(&format!("/api/v1/surveys/{sid}/responses"), Some(&bdh)).body["total"], 3);
}

/// Every dossier's QR leads to one survey, so two per-dossier surveys may not share a day: a
/// second one is refused under `channels`, naming the first, until the first is ended.
fn one_dossier_survey_at_a_time(app: &TestApp) {
    let bdh = app.login("bdh").token;
    let form = form_id(app, &bdh, "onestop");
    let today = thanthien::time::today_local();
    let day = |n: i64| (today + chrono::Duration::days(n)).to_string();
    let post = |title: &str, channels: Value, from: String, to: Value| {
        app.post(
            "/api/v1/surveys",
            Some(&bdh),
            json!({ "form_id": form, "title": title, "starts_on": from, "ends_on": to, "target": "dossiers", "channels": channels }),
        )
    };
    // The commune's running per-dossier survey, or a first one.
    let list = app.get("/api/v1/surveys", Some(&bdh)).body;
    let first = match list["items"].as_array().unwrap().iter().find(|s| s["per_dossier"] == true && s["open"] == true) {
        Some(s) => s.clone(),
        None => {
            let r = post("Đánh giá theo hồ sơ", json!(["dossier"]), day(0), Value::Null);
            assert_eq!(r.status, 201, "{}", r.text);
            r.body
        }
    };
    let first_id = first["id"].as_i64().unwrap();
    let first_title = first["title"].as_str().unwrap().to_string();
    // A second one, open-ended or years ahead: refused, naming the first.
    for (from, to) in [(day(0), Value::Null), (day(400), json!(day(430)))] {
        let r = post("Khảo sát theo hồ sơ thứ hai", json!(["paper", "dossier"]), from, to);
        assert_eq!(r.status, 422, "{}", r.text);
        let e = &r.body["errors"][0];
        assert_eq!(
            (e["field"].as_str(), e["code"].as_str()),
            (Some("channels"), Some("dossier_survey_taken")),
            "{}",
            r.text
        );
        assert!(e["message"].as_str().unwrap().contains(&first_title), "{}", r.text);
    }
    // Without the dossier channel it is an ordinary survey.
    let r = post("Khảo sát phiếu giấy", json!(["paper"]), day(0), Value::Null);
    assert_eq!(r.status, 201, "{}", r.text);
    let paper = r.body["id"].as_i64().unwrap();
    // The first ends in ten days; the next may begin the day after, not before.
    let r = app.patch(&format!("/api/v1/surveys/{first_id}"), Some(&bdh), json!({ "ends_on": day(10) }));
    assert_eq!(r.status, 200, "{}", r.text);
    let r = post("Khảo sát theo hồ sơ quý sau", json!(["dossier"]), day(11), Value::Null);
    assert_eq!(r.status, 201, "{}", r.text);
    let next = r.body["id"].as_i64().unwrap();
    let r = app.patch(&format!("/api/v1/surveys/{next}"), Some(&bdh), json!({ "starts_on": day(10) }));
    assert_eq!((r.status, r.body["errors"][0]["code"].as_str()), (422, Some("dossier_survey_taken")), "{}", r.text);
    // Turning an ordinary survey into a per-dossier one is checked the same way.
    let r = app.patch(&format!("/api/v1/surveys/{paper}"), Some(&bdh), json!({ "channels": ["paper", "dossier"] }));
    assert_eq!((r.status, r.body["errors"][0]["code"].as_str()), (422, Some("dossier_survey_taken")), "{}", r.text);
    // Today's dossier answers still go to the first.
    let list = app.get("/api/v1/surveys", Some(&bdh)).body;
    let open: Vec<i64> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["per_dossier"] == true && s["open"] == true)
        .map(|s| s["id"].as_i64().unwrap())
        .collect();
    assert_eq!(open, vec![first_id]);
}

/// A closed survey's figures stand: a form dated after its last day, or a tally collected then,
/// is refused with `after_end`.
fn nothing_after_a_survey_ends(app: &TestApp) {
    let bdh = app.login("bdh").token;
    let form = form_id(app, &bdh, "than_thien");
    let r = app.post(
        "/api/v1/surveys",
        Some(&bdh),
        json!({ "form_id": form, "title": "Khảo sát tháng 12/2023", "starts_on": "2023-12-01", "ends_on": "2023-12-31",
                "target": "all", "channels": ["paper"] }),
    );
    assert_eq!(r.status, 201, "{}", r.text);
    let sid = r.body["id"].as_i64().unwrap();
    let answers = json!([{ "question_id": "attitude", "value": 4 }, { "question_id": "listen", "value": 4 },
        { "question_id": "info", "value": 4 }, { "question_id": "dialogue", "value": 4 }, { "question_id": "overall", "value": 4 }]);
    let send = |client: &str, on: Value| {
        let mut body = json!({ "client_id": client, "answers": answers });
        if !on.is_null() {
            body["answered_on"] = on;
        }
        app.post(&format!("/api/v1/surveys/{sid}/responses"), Some(&bdh), body)
    };
    // Its last day counts; the day after and today (the default) do not.
    assert_eq!(send("after-end-0001", json!("2023-12-31")).status, 201);
    for (client, on) in [("after-end-0002", json!("2024-01-01")), ("after-end-0003", Value::Null)] {
        let r = send(client, on);
        assert_eq!(r.status, 422, "{}", r.text);
        let e = &r.body["errors"][0];
        assert_eq!((e["field"].as_str(), e["code"].as_str()), (Some("answered_on"), Some("after_end")), "{}", r.text);
        assert!(e["message"].as_str().unwrap().contains("31/12/2023"), "{}", r.text);
    }
    let tally = |on: &str| {
        app.post(
            &format!("/api/v1/surveys/{sid}/tallies"),
            Some(&bdh),
            json!({ "forms": 3, "collected_on": on, "counts": { "overall": { "4": 3 } } }),
        )
    };
    let r = tally("2024-06-20");
    assert_eq!(
        (r.status, r.body["errors"][0]["field"].as_str(), r.body["errors"][0]["code"].as_str()),
        (422, Some("collected_on"), Some("after_end")),
        "{}",
        r.text
    );
    let r = tally("2023-12-20");
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(app.get(&format!("/api/v1/surveys/{sid}/results"), Some(&bdh)).body["responses"], 4);
}

both_engines!(
    shipped_forms_and_versions,
    one_answer_per_dossier,
    client_id_idempotent_under_concurrent_submit,
    tallies_add_up,
    minimum_sample,
    open_link_flags_duplicates,
    scope_and_permissions,
    index_5_4_by_hand,
    public_get_never_writes,
    kept_counts_equal_a_recount,
    aggregates_across_communes,
    entered_answers_and_history,
    tally_history,
    answered_on_within_the_survey,
    one_dossier_survey_at_a_time,
    nothing_after_a_survey_ends,
);
