//! Progress for linkage commands: an indicatif bar behind the library's progress callback that
//! also times each stage (wall and CPU seconds), since the library itself has no clock.

use fc_linkage::Progress;
use indicatif::{ProgressBar, ProgressStyle};
use std::sync::Mutex;
use std::time::Instant;

/// Prints how long each stage of a run took (the library has no clock; the bar times stages), in
/// wall seconds and in CPU seconds of this process: on a shared machine wall time depends on what
/// else runs, CPU time much less.
pub(crate) fn print_phases(bar: &Bar) {
    let phases = bar.phases();
    if !phases.is_empty() {
        let parts: Vec<String> =
            phases.iter().map(|(stage, secs, cpu)| format!("{stage} {secs:.2}s (cpu {cpu:.2}s)")).collect();
        println!("  phases: {}", parts.join(", "));
    }
}

/// User + system CPU seconds used by this process so far (Linux `/proc`; 0 elsewhere).
fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else { return 0.0 };
    // Fields after the parenthesised command name; utime and stime are the 12th and 13th.
    let after = stat.rsplit(')').next().unwrap_or("");
    let ticks: Vec<f64> = after.split_whitespace().skip(11).take(2).filter_map(|x| x.parse().ok()).collect();
    ticks.iter().sum::<f64>() / 100.0
}

/// An indicatif bar behind the library's progress callback; it also notes when each stage
/// starts, so commands can print a per-phase time breakdown.
pub(crate) struct Bar(ProgressBar, Mutex<Vec<(String, Instant, f64)>>);

impl Bar {
    /// A bar with no length yet (set by each stage).
    pub(crate) fn new() -> Self {
        let bar = ProgressBar::new(0).with_style(
            ProgressStyle::with_template("{msg:<32} {bar:40} {pos}/{len} ({elapsed})")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        Self(bar, Mutex::new(Vec::new()))
    }

    /// Wall and CPU seconds per stage, in order (the last stage ends at `finish`).
    pub(crate) fn phases(&self) -> Vec<(String, f64, f64)> {
        let marks = self.1.lock().map(|m| m.clone()).unwrap_or_default();
        marks.windows(2).map(|w| (w[0].0.clone(), (w[1].1 - w[0].1).as_secs_f64(), w[1].2 - w[0].2)).collect()
    }

    fn mark(&self, stage: &str) {
        if let Ok(mut m) = self.1.lock() {
            m.push((stage.to_string(), Instant::now(), cpu_seconds()));
        }
    }
}

impl Progress for Bar {
    fn start(&self, stage: &str, total: u64) {
        self.mark(stage);
        self.0.reset();
        self.0.set_length(total);
        self.0.set_message(stage.to_string());
    }

    fn advance(&self, n: u64) {
        self.0.inc(n);
    }

    fn finish(&self) {
        self.mark("end");
        self.0.finish_and_clear();
    }
}
