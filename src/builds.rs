//! Builds: native game builds imported into an app, each an uncompressed tar of the game's
//! directory. Importing one starts the tasks that turn it into a ROCKIT Image and, unless it
//! is the app's first build, ROCKIT Patches; an app keeps its last
//! [`crate::apps::App::max_builds`] builds and evicts the oldest.
//!
//! - `POST /be/v1/builds`: [`ImportBuild`]
//!
//! A build is imported in one of two ways: Edge downloads the tar from a URL
//! ([`ImportBuild::download`]), or the answer hands back a temporary upload URL that the tar
//! is then sent to with an HTTP `PUT` ([`ImportBuild::upload`]).

use http::{Method, Response};

use crate::assumed::builds as assumed;
use crate::decode;
use crate::endpoint::{json_body, Endpoint};
use crate::error::{Error, InputError};
use crate::model::{model, Field};
use crate::names::NamePattern;

const BUILDS: &str = "/be/v1/builds";

/// The name of build number `number`: the number with at least 4 digits, as in published
/// paths and task names.
///
/// ```
/// use rockit_edge::builds::build_name;
///
/// assert_eq!(build_name(3), "0003");
/// assert_eq!(build_name(12345), "12345");
/// ```
pub fn build_name(number: u64) -> String {
    format!("{number:04}")
}

model! {
    /// The body of [`ImportBuild`].
    pub struct BuildImport {
        /// The app the build belongs to.
        required app_name: String = "appName",
        /// Where Edge downloads the tar from; absent for an upload.
        optional url: String = "url",
        /// The tar's size in bytes, checked after the download.
        optional size: u64 = "size",
    }
}

model! {
    /// What Import native builds answers: the build, the task that imports it and, for an
    /// upload, where to send the tar.
    pub struct ImportedBuild {
        /// The build's name, such as `0004`.
        optional name: String = "name",
        /// The app it belongs to.
        optional app_name: String = "appName",
        /// The task that downloads (or waits for) the tar; see [`crate::tasks::GetTask`].
        optional task_name: String = "taskName",
        /// The temporary URL to `PUT` the uncompressed tar to, when no download URL was given.
        optional upload_url: String = "uploadUrl",
    }
}

/// `POST /be/v1/builds`: adds a build to an app, from a URL Edge downloads or through an
/// upload URL it hands back.
///
/// Needs the `apps.update` permission. When a task of the import fails, Task Details tells
/// why (see [`crate::tasks::Exception`]).
///
/// ```
/// use rockit_edge::builds::ImportBuild;
/// use rockit_edge::{BaseUrl, Credentials, Endpoint};
///
/// let base = BaseUrl::parse("https://edge.example.com").unwrap();
/// let creds = Credentials::backend_token("t0k").unwrap();
/// let import = ImportBuild::download("sushi", "https://cdn.example.com/native-build.tar")
///     .size(1_788_272_645);
/// let request = import.to_request(&base, &creds).unwrap();
/// assert_eq!(
///     request.body(),
///     br#"{"appName":"sushi","url":"https://cdn.example.com/native-build.tar","size":1788272645}"#
/// );
/// assert!(ImportBuild::download("sushi", "ftp://host/b.tar").to_request(&base, &creds).is_err());
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct ImportBuild {
    import: BuildImport,
}

impl ImportBuild {
    /// A build of app `app_name` that Edge downloads from `url` (`http` or `https`).
    pub fn download(app_name: impl Into<String>, url: impl Into<String>) -> Self {
        let mut import = ImportBuild::upload(app_name);
        import.import.url = Field::Value(url.into());
        import
    }

    /// A build of app `app_name` to be uploaded: the answer's
    /// [`ImportedBuild::upload_url`] takes the tar with an HTTP `PUT`.
    pub fn upload(app_name: impl Into<String>) -> Self {
        ImportBuild {
            import: BuildImport {
                app_name: app_name.into(),
                url: Field::Absent,
                size: Field::Absent,
                extra: Default::default(),
            },
        }
    }

    /// The tar's size in bytes, which Edge checks after the download.
    pub fn size(mut self, size_bytes: u64) -> Self {
        self.import.size = Field::Value(size_bytes);
        self
    }

    /// Sets any other member of the body, sent as given.
    pub fn member(mut self, name: impl Into<String>, value: serde_json::Value) -> Self {
        self.import.extra.insert(name.into(), value);
        self
    }
}

/// Checks that a download URL is an absolute `http` or `https` URL with a host. The error
/// never quotes the URL: download URLs often carry a signed token.
pub(crate) fn check_url(url: &str) -> Result<(), InputError> {
    const WHAT: &str = "build URL";
    let Some((scheme, rest)) = url.split_once("://") else {
        return Err(InputError::new(
            WHAT,
            "must be an absolute http or https URL",
        ));
    };
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return Err(InputError::new(WHAT, "must use http or https"));
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    if host.is_empty() || host.starts_with(':') {
        return Err(InputError::new(WHAT, "must name a host"));
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(InputError::new(
            WHAT,
            "must not contain white space or control characters",
        ));
    }
    Ok(())
}

impl Endpoint for ImportBuild {
    type Output = ImportedBuild;

    fn method(&self) -> Method {
        Method::POST
    }

    fn path(&self) -> Result<String, InputError> {
        Ok(BUILDS.to_owned())
    }

    fn body(&self) -> Result<Option<Vec<u8>>, InputError> {
        NamePattern::Standard.check("app name", &self.import.app_name)?;
        if let Some(url) = self.import.url.get() {
            check_url(url)?;
        }
        if self.import.size.get() == Some(&0) {
            return Err(InputError::new("build size", "must be at least 1"));
        }
        json_body(&self.import)
    }

    fn decode<B: AsRef<[u8]>>(&self, response: &Response<B>) -> Result<ImportedBuild, Error> {
        decode::member(response, assumed::BUILDS_IMPORTED_MEMBER)
    }
}

#[cfg(test)]
mod tests {
    use super::check_url;

    #[test]
    fn download_urls() {
        for ok in [
            "https://cdn.example.com/native-build.tar",
            "HTTP://127.0.0.1:8080/b.tar?token=exp=1~acl=/x/*~hmac=ab",
            "https://user@host/b.tar",
        ] {
            assert!(check_url(ok).is_ok(), "{ok}");
        }
        for (bad, problem) in [
            ("cdn.example.com/b.tar", "absolute"),
            ("ftp://cdn.example.com/b.tar", "http or https"),
            ("file:///tmp/b.tar", "http or https"),
            ("https:///b.tar", "host"),
            ("https://:443/b.tar", "host"),
            ("https://host/b c.tar", "white space"),
            ("https://host/b.tar\n", "white space"),
        ] {
            let err = check_url(bad).unwrap_err();
            assert_eq!(err.what(), "build URL");
            assert!(err.problem().contains(problem), "{bad}: {err}");
        }
    }
}
