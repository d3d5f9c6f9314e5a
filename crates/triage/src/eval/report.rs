//! The evaluation as text for the terminal: a per-signal table and the grade confusion table.

use super::EvalReport;
use std::fmt;

impl fmt::Display for EvalReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Triage evaluation on {} narratives", self.narratives)?;
        writeln!(f)?;
        writeln!(
            f,
            "{:<22} {:>5} {:>5} {:>5} {:>9} {:>7}",
            "signal", "tp", "fp", "fn", "precision", "recall"
        )?;
        for s in &self.signals {
            writeln!(
                f,
                "{:<22} {:>5} {:>5} {:>5} {:>9.3} {:>7.3}",
                s.kind.as_str(),
                s.true_positives,
                s.false_positives,
                s.false_negatives,
                s.precision(),
                s.recall()
            )?;
        }
        writeln!(f)?;
        writeln!(f, "Grade confusion (rows: expected, columns: recommended)")?;
        writeln!(f, "{:<10} {:>6} {:>6} {:>6} {:>6}", "", "G1", "G2", "G3", "G4")?;
        for (i, row) in self.confusion.iter().enumerate() {
            writeln!(
                f,
                "{:<10} {:>6} {:>6} {:>6} {:>6}",
                format!("G{}", i + 1),
                row[0],
                row[1],
                row[2],
                row[3]
            )?;
        }
        let under: u32 =
            (0..4).flat_map(|e| (e + 1..4).map(move |r| (e, r))).map(|(e, r)| self.confusion[e][r]).sum();
        writeln!(f)?;
        writeln!(
            f,
            "Grade agreement: {:.1}%; recommended less urgent than expected: {under}",
            self.grade_accuracy() * 100.0
        )
    }
}
