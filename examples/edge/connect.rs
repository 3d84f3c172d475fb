//! Chooses the server: the embedded fake, or a real one named by the environment.

use http::{Request, Response};
use rockit_edge::fake::{self, FakeEdge};
use rockit_edge::ureq_transport::UreqTransport;
use rockit_edge::{
    BaseUrl, Client, Credentials, Error, InputError, Transport, TransportError, TransportErrorKind,
};

/// The fake server or a real one.
pub enum Server {
    Fake(FakeEdge),
    Http(UreqTransport),
}

impl Transport for Server {
    fn send(&self, request: Request<Vec<u8>>) -> Result<Response<Vec<u8>>, TransportError> {
        match self {
            Server::Fake(fake) => fake.send(request),
            Server::Http(ureq) => ureq.send(request),
        }
    }
}

/// A client for the server the environment names, or for the embedded fake.
pub fn client() -> Result<Client<Server>, Error> {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let Some(url) = var("ROCKIT_EDGE_URL") else {
        let fake = FakeEdge::seeded();
        let (base, credentials) = (fake.base_url(), fake.credentials());
        return Ok(Client::new(Server::Fake(fake), base, credentials));
    };

    let base = BaseUrl::parse(&url)?;
    let credentials = match (
        var("ROCKIT_EDGE_TOKEN"),
        var("ROCKIT_EDGE_ORG"),
        var("ROCKIT_EDGE_USER"),
        var("ROCKIT_EDGE_API_KEY"),
    ) {
        (Some(token), None, None, None) => Credentials::backend_token(token)?,
        (None, Some(org), Some(user), Some(key)) => Credentials::api_key(org, user, key)?,
        (None, None, None, None) => return Err(Error::Input(credentials_problem("none are set"))),
        (Some(_), _, _, _) => {
            return Err(Error::Input(credentials_problem(
                "a token and API-key variables are both set",
            )))
        }
        _ => {
            return Err(Error::Input(credentials_problem(
                "the API-key variables are incomplete",
            )))
        }
    };
    Ok(Client::new(
        Server::Http(UreqTransport::new()),
        base,
        credentials,
    ))
}

/// Like [`client`], but without `ROCKIT_EDGE_URL` the fake is served on 127.0.0.1 for as long
/// as the returned server lives, so that the URLs it hands out (upload URLs) can be reached.
pub fn served_client() -> Result<(Client<Server>, Option<fake::Server>), Error> {
    if std::env::var("ROCKIT_EDGE_URL").is_ok_and(|url| !url.is_empty()) {
        return Ok((client()?, None));
    }
    let fake = FakeEdge::seeded();
    let server = fake::serve(fake.clone()).map_err(|e| {
        TransportError::new(
            TransportErrorKind::Io,
            format!("cannot serve the fake on 127.0.0.1: {e}"),
        )
    })?;
    // Loopback: a proxy from the environment must not see this traffic.
    let transport = UreqTransport::builder().proxy_from_env(false).build();
    let client = Client::new(
        Server::Http(transport),
        server.base_url(),
        fake.credentials(),
    );
    Ok((client, Some(server)))
}

fn credentials_problem(what_is_wrong: &str) -> InputError {
    InputError::new(
        "credentials",
        format!(
            "{what_is_wrong}: set ROCKIT_EDGE_TOKEN, or all of ROCKIT_EDGE_ORG, ROCKIT_EDGE_USER \
             and ROCKIT_EDGE_API_KEY"
        ),
    )
}
