//! A small WordprocessingML writer: paragraphs, runs, tables, a page setup and the package
//! around them, just what an administrative report needs. Text is escaped with `quick-xml`;
//! the package is written with the `zip` crate with fixed entry times, so the same document
//! gives the same bytes (a published report is byte-identical every time it is downloaded).
//! Why not a DOCX crate: see `docs/evaluation.md` (no new dependency, full control of the
//! Decree 30 layout, deterministic output).

use std::io::{Cursor, Write};

use quick_xml::escape::escape;
use zip::write::SimpleFileOptions;

use crate::error::{AppError, AppResult};

/// Twentieths of a point in one millimetre (1 mm = 56.7 twips).
pub fn mm(x: f64) -> i64 {
    (x * 1440.0 / 25.4).round() as i64
}

/// Alignment of a paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
    Right,
    Both,
}

impl Align {
    fn as_str(self) -> &'static str {
        match self {
            Align::Left => "left",
            Align::Center => "center",
            Align::Right => "right",
            Align::Both => "both",
        }
    }
}

/// A run of text with its formatting.
#[derive(Debug, Clone, Default)]
pub struct Run {
    pub text: String,
    pub bold: bool,
    pub italic: bool,
    pub underline: bool,
    /// Size in half-points (28 = 14 pt); `None` = the document default.
    pub size: Option<u32>,
    /// Line break before the text.
    pub break_before: bool,
}

impl Run {
    pub fn new(text: impl Into<String>) -> Run {
        Run { text: text.into(), ..Run::default() }
    }
    pub fn bold(mut self) -> Run {
        self.bold = true;
        self
    }
    pub fn italic(mut self) -> Run {
        self.italic = true;
        self
    }
    pub fn underline(mut self) -> Run {
        self.underline = true;
        self
    }
    pub fn size(mut self, pt: f64) -> Run {
        self.size = Some((pt * 2.0).round() as u32);
        self
    }
    pub fn line_break(mut self) -> Run {
        self.break_before = true;
        self
    }
}

/// A paragraph.
#[derive(Debug, Clone)]
pub struct Para {
    pub runs: Vec<Run>,
    pub align: Align,
    /// First-line indent in twips.
    pub first_line: i64,
    /// Space before and after in twips.
    pub before: i64,
    pub after: i64,
    /// A short line under the paragraph: (left indent, right indent) of the border, in twips.
    pub rule: Option<(i64, i64)>,
    pub keep_next: bool,
}

impl Para {
    pub fn new(align: Align) -> Para {
        Para { runs: Vec::new(), align, first_line: 0, before: 0, after: 0, rule: None, keep_next: false }
    }
    pub fn run(mut self, r: Run) -> Para {
        self.runs.push(r);
        self
    }
    pub fn text(self, t: impl Into<String>) -> Para {
        self.run(Run::new(t))
    }
    pub fn indent(mut self, twips: i64) -> Para {
        self.first_line = twips;
        self
    }
    pub fn spacing(mut self, before: i64, after: i64) -> Para {
        self.before = before;
        self.after = after;
        self
    }
    pub fn keep_next(mut self) -> Para {
        self.keep_next = true;
        self
    }
    /// An empty paragraph drawing a short centred line (the rule under a heading).
    pub fn rule(left: i64, right: i64) -> Para {
        let mut p = Para::new(Align::Center);
        p.rule = Some((left, right));
        p.runs.push(Run::new("").size(2.0));
        p
    }
}

/// A table cell: its width in twips and its paragraphs.
#[derive(Debug, Clone)]
pub struct CellBox {
    pub width: i64,
    pub paras: Vec<Para>,
}

/// A table (with or without borders).
#[derive(Debug, Clone)]
pub struct Table {
    pub rows: Vec<Vec<CellBox>>,
    pub borders: bool,
    /// The first row repeats on every page.
    pub header_row: bool,
}

/// What a document body holds.
#[derive(Debug, Clone)]
pub enum Block {
    Para(Para),
    Table(Table),
}

fn esc(s: &str) -> String {
    escape(s).into_owned()
}

fn write_run(out: &mut String, r: &Run) {
    out.push_str("<w:r>");
    let mut props = String::new();
    if r.bold {
        props.push_str("<w:b/><w:bCs/>");
    }
    if r.italic {
        props.push_str("<w:i/><w:iCs/>");
    }
    if r.underline {
        props.push_str(r#"<w:u w:val="single"/>"#);
    }
    if let Some(s) = r.size {
        props.push_str(&format!(r#"<w:sz w:val="{s}"/><w:szCs w:val="{s}"/>"#));
    }
    if !props.is_empty() {
        out.push_str("<w:rPr>");
        out.push_str(&props);
        out.push_str("</w:rPr>");
    }
    if r.break_before {
        out.push_str("<w:br/>");
    }
    out.push_str(&format!(r#"<w:t xml:space="preserve">{}</w:t>"#, esc(&r.text)));
    out.push_str("</w:r>");
}

fn write_para(out: &mut String, p: &Para) {
    out.push_str("<w:p><w:pPr>");
    if p.keep_next {
        out.push_str("<w:keepNext/>");
    }
    if let Some((_, _)) = p.rule {
        out.push_str(r#"<w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" w:color="000000"/></w:pBdr>"#);
    }
    out.push_str(&format!(r#"<w:spacing w:before="{}" w:after="{}"/>"#, p.before, p.after));
    match p.rule {
        Some((l, r)) => out.push_str(&format!(r#"<w:ind w:left="{l}" w:right="{r}"/>"#)),
        None if p.first_line > 0 => out.push_str(&format!(r#"<w:ind w:firstLine="{}"/>"#, p.first_line)),
        None => {}
    }
    out.push_str(&format!(r#"<w:jc w:val="{}"/>"#, p.align.as_str()));
    if p.rule.is_some() {
        out.push_str(r#"<w:rPr><w:sz w:val="2"/></w:rPr>"#);
    }
    out.push_str("</w:pPr>");
    for r in &p.runs {
        write_run(out, r);
    }
    out.push_str("</w:p>");
}

fn write_table(out: &mut String, t: &Table) {
    let total: i64 = t.rows.first().map_or(0, |r| r.iter().map(|c| c.width).sum());
    out.push_str("<w:tbl><w:tblPr>");
    out.push_str(&format!(r#"<w:tblW w:w="{total}" w:type="dxa"/><w:jc w:val="center"/>"#));
    if t.borders {
        out.push_str("<w:tblBorders>");
        for side in ["top", "left", "bottom", "right", "insideH", "insideV"] {
            out.push_str(&format!(r#"<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>"#));
        }
        out.push_str("</w:tblBorders>");
    } else {
        out.push_str("<w:tblBorders>");
        for side in ["top", "left", "bottom", "right", "insideH", "insideV"] {
            out.push_str(&format!(r#"<w:{side} w:val="nil"/>"#));
        }
        out.push_str("</w:tblBorders>");
    }
    out.push_str(r#"<w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="57" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar>"#);
    out.push_str("</w:tblPr><w:tblGrid>");
    if let Some(first) = t.rows.first() {
        for c in first {
            out.push_str(&format!(r#"<w:gridCol w:w="{}"/>"#, c.width));
        }
    }
    out.push_str("</w:tblGrid>");
    for (i, row) in t.rows.iter().enumerate() {
        out.push_str("<w:tr>");
        if i == 0 && t.header_row {
            out.push_str("<w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>");
        } else {
            out.push_str("<w:trPr><w:cantSplit/></w:trPr>");
        }
        for c in row {
            out.push_str(&format!(r#"<w:tc><w:tcPr><w:tcW w:w="{}" w:type="dxa"/></w:tcPr>"#, c.width));
            if c.paras.is_empty() {
                out.push_str("<w:p/>");
            }
            for p in &c.paras {
                write_para(out, p);
            }
            out.push_str("</w:tc>");
        }
        out.push_str("</w:tr>");
    }
    out.push_str("</w:tbl>");
}

/// Page setup in twips.
#[derive(Debug, Clone, Copy)]
pub struct Page {
    pub width: i64,
    pub height: i64,
    pub top: i64,
    pub bottom: i64,
    pub left: i64,
    pub right: i64,
}

/// The document's defaults: font and size (half-points).
#[derive(Debug, Clone)]
pub struct Defaults {
    pub font: String,
    pub size: u32,
    /// Line spacing in 240ths of a line (276 = 1.15).
    pub line: u32,
}

const NS: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office""#;
const XML: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#;

/// A page header: the page number centred (Decree 30: from the second page on), and a
/// watermark — large grey text across the page, VML as Word writes it — when given.
fn header_part(watermark: Option<&str>, font: &str, page_number: bool) -> String {
    let mut out = format!(r#"{XML}<w:hdr {NS}><w:p><w:pPr><w:pStyle w:val="Header"/><w:jc w:val="center"/></w:pPr>"#);
    if let Some(text) = watermark {
        out.push_str(&format!(
            r##"<w:r><w:pict><v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800" path="m@7,l@8,m@5,21600l@6,21600e"><v:formulas><v:f eqn="sum #0 0 10800"/><v:f eqn="prod #0 2 1"/><v:f eqn="sum 21600 0 @1"/><v:f eqn="sum 0 0 @2"/><v:f eqn="sum 21600 0 @3"/><v:f eqn="if @0 @3 0"/><v:f eqn="if @0 21600 @1"/><v:f eqn="if @0 0 @2"/><v:f eqn="if @0 @4 21600"/><v:f eqn="mid @5 @6"/><v:f eqn="mid @8 @5"/><v:f eqn="mid @7 @8"/><v:f eqn="mid @6 @7"/><v:f eqn="sum @6 0 @5"/></v:formulas><v:path textpathok="t" o:connecttype="custom" o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800" o:connectangles="270,180,90,0"/><v:textpath on="t" fitshape="t"/><o:lock v:ext="edit" text="t" shapetype="t"/></v:shapetype><v:shape id="PowerPlusWaterMarkObject1" o:spid="_x0000_s1025" type="#_x0000_t136" style="position:absolute;margin-left:0;margin-top:0;width:420pt;height:105pt;rotation:315;z-index:-251655168;mso-position-horizontal:center;mso-position-horizontal-relative:margin;mso-position-vertical:center;mso-position-vertical-relative:margin" o:allowincell="f" fillcolor="#c0c0c0" stroked="f"><v:fill opacity=".5"/><v:textpath style="font-family:&quot;{}&quot;;font-size:1pt" string="{}"/></v:shape></w:pict></w:r>"##,
            esc(font),
            esc(text)
        ));
    }
    if page_number {
        out.push_str(r#"<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>2</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>"#);
    }
    out.push_str("</w:p></w:hdr>");
    out
}

/// The `.docx` package of a body: document, styles, settings, optional watermark header.
pub fn package(
    body: &[Block],
    page: Page,
    defaults: &Defaults,
    watermark: Option<&str>,
    lang: &str,
) -> AppResult<Vec<u8>> {
    let mut doc = format!("{XML}<w:document {NS}><w:body>");
    for b in body {
        match b {
            Block::Para(p) => write_para(&mut doc, p),
            Block::Table(t) => write_table(&mut doc, t),
        }
    }
    // Two headers: the first page's (watermark only) and the others' (page number, watermark).
    doc.push_str(r#"<w:sectPr><w:headerReference w:type="default" r:id="rIdHeader1"/><w:headerReference w:type="first" r:id="rIdHeader2"/>"#);
    doc.push_str(&format!(
        r#"<w:pgSz w:w="{}" w:h="{}"/><w:pgMar w:top="{}" w:right="{}" w:bottom="{}" w:left="{}" w:header="567" w:footer="567" w:gutter="0"/><w:cols w:space="720"/><w:titlePg/></w:sectPr></w:body></w:document>"#,
        page.width, page.height, page.top, page.right, page.bottom, page.left
    ));
    let font = esc(&defaults.font);
    let styles = format!(
        r#"{XML}<w:styles {NS}><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}" w:cs="{font}"/><w:sz w:val="{s}"/><w:szCs w:val="{s}"/><w:lang w:val="{lang}" w:eastAsia="{lang}" w:bidi="ar-SA"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="{l}" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/><w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:cs="{font}"/><w:sz w:val="{s}"/><w:szCs w:val="{s}"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="Header"><w:name w:val="header"/><w:basedOn w:val="Normal"/></w:style><w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style></w:styles>"#,
        s = defaults.size,
        l = defaults.line,
    );
    let settings = format!(
        r#"{XML}<w:settings {NS}><w:defaultTabStop w:val="720"/><w:characterSpacingControl w:val="doNotCompress"/><w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat></w:settings>"#
    );
    let mut rels = format!(
        r#"{XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rIdSettings" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>"#
    );
    rels.push_str(r#"<Relationship Id="rIdHeader1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/><Relationship Id="rIdHeader2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header2.xml"/>"#);
    rels.push_str("</Relationships>");
    let mut types = format!(
        r#"{XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>"#
    );
    for n in [1, 2] {
        types.push_str(&format!(r#"<Override PartName="/word/header{n}.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>"#));
    }
    types.push_str("</Types>");
    let root_rels = format!(
        r#"{XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#
    );
    let mut parts: Vec<(&str, String)> = vec![
        ("[Content_Types].xml", types),
        ("_rels/.rels", root_rels),
        ("word/document.xml", doc),
        ("word/styles.xml", styles),
        ("word/settings.xml", settings),
        ("word/_rels/document.xml.rels", rels),
    ];
    parts.push(("word/header1.xml", header_part(watermark, &defaults.font, true)));
    parts.push(("word/header2.xml", header_part(watermark, &defaults.font, false)));
    let mut out = Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut out);
        // A fixed time (the ZIP epoch) so the same document gives the same bytes.
        let opts = SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(zip::DateTime::default())
            .unix_permissions(0o644);
        for (name, text) in parts {
            z.start_file(name, opts).map_err(|e| AppError::Internal(format!("docx: {e}")))?;
            z.write_all(text.as_bytes()).map_err(|e| AppError::Internal(format!("docx: {e}")))?;
        }
        z.finish().map_err(|e| AppError::Internal(format!("docx: {e}")))?;
    }
    Ok(out.into_inner())
}
