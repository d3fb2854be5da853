//! Standard output that remembers its first write error: `check … > /dev/full` must fail
//! (status 2, with the reason), while a reader that went away (`| head`) ends the output
//! quietly, as every command-line tool does.

use std::io::{self, BufWriter, ErrorKind, Write};

pub(super) struct Output<W: Write> {
    inner: BufWriter<W>,
    /// The first error; nothing more is written after it.
    error: Option<io::Error>,
    /// [`Output::finish`] was called: nothing more is written.
    finished: bool,
}

impl<W: Write> Output<W> {
    pub(super) fn new(inner: W) -> Self {
        Self {
            inner: BufWriter::new(inner),
            error: None,
            finished: false,
        }
    }

    fn record(&mut self, result: io::Result<()>) {
        if let Err(e) = result {
            self.error.get_or_insert(e);
        }
    }

    /// Flushes, keeping any error for [`Output::finish`].
    pub(super) fn flush_quietly(&mut self) {
        if self.error.is_none() && !self.finished {
            let result = self.inner.flush();
            self.record(result);
        }
    }

    /// Flushes; the error to report, if any (a closed pipe is none).
    pub(super) fn finish(&mut self) -> Option<io::Error> {
        self.flush_quietly();
        self.finished = true;
        self.error
            .take()
            .filter(|e| e.kind() != ErrorKind::BrokenPipe)
    }
}

impl<W: Write> Write for Output<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.error.is_none() && !self.finished {
            let result = self.inner.write_all(buf);
            self.record(result);
        }
        // Callers go on as if it was written: the error is reported once, at the end.
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.flush_quietly();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Failing(ErrorKind);

    impl Write for Failing {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::Error::from(self.0))
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn the_first_error_is_kept_and_a_closed_pipe_is_quiet() {
        let mut out = Output::new(Failing(ErrorKind::StorageFull));
        writeln!(out, "a").unwrap();
        writeln!(out, "b").unwrap();
        assert_eq!(out.finish().unwrap().kind(), ErrorKind::StorageFull);
        let mut out = Output::new(Failing(ErrorKind::BrokenPipe));
        writeln!(out, "a").unwrap();
        assert!(out.finish().is_none());
        let mut out = Output::new(Vec::new());
        writeln!(out, "a").unwrap();
        assert!(out.finish().is_none());
    }
}
