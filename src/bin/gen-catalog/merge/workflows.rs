//! The Support Center workflows, the actions each needs, and the documented facts.

use std::path::Path;

use catalog_format::{FactAction, Model, Result, Workflow, WorkflowAction, lower};

use crate::sources::curated::curated_map;
use crate::sources::shared::WorkflowsFile;

pub(super) fn add_workflows(m: &mut Model, workflows: &WorkflowsFile, root: &Path) -> Result<()> {
    let phrases = curated_map(root, "workflow-phrases.tsv", &["workflow", "phrase"])?;
    for w in &workflows.workflows {
        let phrase = match phrases.get(&w.id) {
            Some(p) => p.clone(),
            None => {
                eprintln!(
                    "warning: workflow {} has no phrase in data/curated/workflow-phrases.tsv",
                    w.id
                );
                lower(&w.title)
            }
        };
        m.workflows.push(Workflow {
            id: w.id.clone(),
            channel: w.channel.clone(),
            namespace: w.namespace.clone().unwrap_or_default(),
            title: w.title.clone(),
            phrase,
            notes: w.notes.clone(),
        });
        for a in &w.actions {
            m.workflow_actions.push(WorkflowAction {
                workflow: w.id.clone(),
                action: a.action.clone(),
                status: a.status.clone(),
                basis: a.basis.clone(),
            });
        }
    }
    for fact in &workflows.facts {
        for action in &fact.actions {
            m.facts.push(FactAction {
                fact: fact.id.clone(),
                source: fact.source.clone(),
                action: action.clone(),
            });
        }
    }
    Ok(())
}
