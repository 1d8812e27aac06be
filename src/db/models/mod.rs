pub mod image;
pub mod judgement;
pub mod session;
pub mod user;

pub use image::{Image, ImageScan, KnownImage};
pub use judgement::{FailureCategory, Judgement, JudgementWrite};
pub use session::{KnownSession, Session, SessionScan};
pub use user::{ApiToken, NewApiToken, NewUser, User};
