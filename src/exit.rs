//! The exit statuses of every subcommand: the one table (the README repeats it).

/// How hooknorm ends. The numbers follow BSD `sysexits.h`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub enum Exit {
    /// Everything converted, every document is valid, the documents are the same.
    #[default]
    Success = 0,
    /// `validate`: a document is invalid. `diff`: the documents differ. `verify`:
    /// the request is not authentic.
    Failed = 1,
    /// The command line is wrong (an unknown flag, a bad value).
    Usage = 2,
    /// An input could not be converted: not JSON, unknown provider, unsupported
    /// event, a required field missing or of the wrong type; for `verify`, a
    /// request that carries nothing to check (`EX_DATAERR`).
    DataError = 65,
    /// A path given on the command line does not exist, is a folder where a
    /// file is read, or a folder holds no document to check (`EX_NOINPUT`).
    NoInput = 66,
    /// Reading an input or writing the output failed (`EX_IOERR`).
    IoError = 74,
}

impl Exit {
    pub fn code(self) -> u8 {
        self as u8
    }

    /// The status of an input that could not be read: missing, or a folder
    /// where a file of documents was expected, is `NoInput`; anything else
    /// `IoError`. The one place a read error becomes a status.
    pub fn of_read_error(error: &std::io::Error) -> Exit {
        match error.kind() {
            std::io::ErrorKind::NotFound | std::io::ErrorKind::IsADirectory => Exit::NoInput,
            _ => Exit::IoError,
        }
    }

    /// When a batch ends with several outcomes, the status that reports it: an
    /// input that could not be read or judged outranks one that was judged bad.
    pub fn worst(self, other: Exit) -> Exit {
        fn rank(exit: Exit) -> u8 {
            match exit {
                Exit::Success => 0,
                Exit::Failed => 1,
                Exit::DataError => 2,
                Exit::NoInput => 3,
                Exit::IoError => 4,
                Exit::Usage => 5,
            }
        }
        if rank(other) > rank(self) {
            other
        } else {
            self
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precedence() {
        assert_eq!(Exit::Success.worst(Exit::Failed), Exit::Failed);
        assert_eq!(Exit::Failed.worst(Exit::DataError), Exit::DataError);
        assert_eq!(Exit::IoError.worst(Exit::DataError), Exit::IoError);
        assert_eq!(Exit::NoInput.worst(Exit::DataError), Exit::NoInput);
    }

    #[test]
    fn read_errors() {
        use std::io::{Error, ErrorKind};
        assert_eq!(
            Exit::of_read_error(&Error::from(ErrorKind::NotFound)),
            Exit::NoInput
        );
        assert_eq!(
            Exit::of_read_error(&Error::from(ErrorKind::PermissionDenied)),
            Exit::IoError
        );
        assert_eq!(
            Exit::of_read_error(&Error::from(ErrorKind::IsADirectory)),
            Exit::NoInput
        );
    }
}
