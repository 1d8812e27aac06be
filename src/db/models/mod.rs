pub mod image;
pub mod import_run;
pub mod judgement;
pub mod session;
pub mod user;

pub use image::{Image, ImageScan, KnownImage};
pub use import_run::{ImportRun, NewImportRun};
pub use judgement::{FailureCategory, Judgement, JudgementWrite};
pub use session::{KnownSession, Session, SessionScan};
pub use user::{ApiToken, NewApiToken, NewUser, User};
