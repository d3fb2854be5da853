//! The CloudFormation YAML scenarios (issue 17): a generated 1 MB template edited inside a
//! policy, on a new line of one, and outside any.

use super::*;

/// The YAML edits, by label: typed inside the first policy past the middle of the template (a
/// typo in `Effect: Allow` and its fix, a letter deleted from the next action and put back:
/// each changes the diagnostics; a new line in the action list, and its removal), or outside
/// any policy (a digit added to a function's `MemorySize` and deleted; a letter added to the
/// template's `Description` and deleted, which moves every policy).
fn template_cycles(text: &str) -> Option<Vec<(&'static str, Vec<Edit>)>> {
    let middle = text.len() / 2;
    let effect = middle + text[middle..].find("Effect: Allow")?;
    let typo = effect + "Effect: Al".len();
    let action = effect + text[effect..].find("s3:GetObject")? + "s3:GetObjec".len();
    let (typo_line, typo_col) = line_col(text, typo);
    let (action_line, action_col) = line_col(text, action);
    let at = |line: u32, col: u32, remove: u32, text: &'static str| Edit {
        line,
        end_line: line,
        start: col,
        end: col + remove,
        text,
    };
    let inside = vec![
        at(typo_line, typo_col, 1, ""),
        at(typo_line, typo_col, 0, "l"),
        at(action_line, action_col, 1, ""),
        at(action_line, action_col, 0, "t"),
    ];
    let action_end = action + text[action..].find('\n')?;
    let (line, col) = line_col(text, action_end);
    const NEW_LINE: &str = "\n                  - s3:PutObject";
    let new_line = vec![
        at(line, col, 0, NEW_LINE),
        Edit {
            line,
            end_line: line + 1,
            start: col,
            end: utf16_len(&NEW_LINE[1..]),
            text: "",
        },
    ];
    let memory = middle + text[middle..].find("MemorySize: 256")? + "MemorySize: 256".len();
    let (line, col) = line_col(text, memory);
    let resource = vec![at(line, col, 0, "6"), at(line, col, 1, "")];
    let description = text.find("Description: ")?;
    let end = description + text[description..].find('\n')?;
    let (line, col) = line_col(text, end);
    let top = vec![at(line, col, 0, "x"), at(line, col, 1, "")];
    Some(vec![
        ("typed inside one policy", inside),
        ("new line inside one policy", new_line),
        ("outside any policy: a resource's property", resource),
        ("outside any policy: the template's Description", top),
    ])
}

pub(super) fn measure_template(args: &Args, ours: bool, report: &mut Report) {
    let template = support::template::generate(TEMPLATE_BYTES);
    let text = &template.text;
    let Some(cycles) = template_cycles(text) else {
        println!("the generated template has nothing to edit");
        return;
    };
    println!(
        "didChange → publishDiagnostics on a generated CloudFormation YAML template: {} bytes, {} policies (load average before: {})\n",
        text.len(),
        template.policies,
        load_average()
    );
    println!(
        "| edits | edits measured | changed diagnostics | p50 | p95 | p99 | max | server RSS, peak (MB) | goal |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---|");
    for (label, cycle) in &cycles {
        let latency = measure_cycle(args, "file:///bench/template.yaml", "yaml", text, cycle);
        let s = &latency.samples_ms;
        let (p50, p95, p99) = (
            percentile(s, 50.0),
            percentile(s, 95.0),
            percentile(s, 99.0),
        );
        let goal = if ours {
            format!(
                "p50 < {GOAL_TEMPLATE_P50} ms: {}",
                verdict(p50 < GOAL_TEMPLATE_P50)
            )
        } else {
            String::new()
        };
        let rss = latency.rss.map_or("?".into(), |(peak, current)| {
            format!(
                "{:.1}, {:.1}",
                current as f64 / 1024.0,
                peak as f64 / 1024.0
            )
        });
        println!(
            "| {label} | {} | {} | {p50:.3} | {p95:.3} | {p99:.3} | {:.3} | {rss} | {goal} |",
            s.len(),
            latency.changed,
            s.last().copied().unwrap_or(f64::NAN),
        );
        let key: String = label
            .chars()
            .map(|c| if c.is_alphanumeric() { c } else { '-' })
            .collect();
        report.record(&format!("template.{key}.p50"), p50);
        report.record(&format!("template.{key}.p95"), p95);
    }
    println!("\n(load average after: {})\n", load_average());
}
