//! `edge login …`: both login flows, printing tokens only when asked to.

use rockit_edge::login::{
    AuthToken, Authenticate, Login, LoginToOrg, LoginWithPassword, Logout, Password, Refresh,
    Session, TokenPair,
};
use rockit_edge::{fake, BaseUrl, Client, Credentials, Error};

use crate::args::{Args, UsageError};
use crate::connect::Server;
use crate::{output, Failure};

pub fn run(mut args: Args) -> Result<(), Failure> {
    let flow = args.command("a login command (old, new)")?;
    let as_json = args.take_flag("--json");
    let show = args.take_flag("--show-secrets");
    match flow.as_str() {
        "old" => {
            let org = args.command("an organisation name")?;
            let user = args.command("a user name")?;
            args.finish()?;
            old_flow(&org, &user, as_json, show)
        }
        "new" => {
            let user = args.command("a user name")?;
            let org = args.take_option("--org")?;
            let refresh = args.take_flag("--refresh");
            let logout = args.take_flag("--logout");
            args.finish()?;
            new_flow(&user, org, refresh, logout, as_json, show)
        }
        other => Err(UsageError::new(format!("unknown login command `{other}`")).into()),
    }
}

/// A client for the server the environment names, or for the embedded fake, holding the
/// credentials `pick` chooses; `pick` sees the fake when there is one.
pub fn client_with(
    pick: impl FnOnce(Option<&fake::FakeEdge>) -> Result<Credentials, Error>,
) -> Result<Client<Server>, Error> {
    match std::env::var("ROCKIT_EDGE_URL")
        .ok()
        .filter(|u| !u.is_empty())
    {
        Some(url) => {
            let base = BaseUrl::parse(&url)?;
            let credentials = pick(None)?;
            Ok(Client::new(
                Server::Http(rockit_edge::ureq_transport::UreqTransport::new()),
                base,
                credentials,
            ))
        }
        None => {
            let fake = fake::FakeEdge::seeded();
            let credentials = pick(Some(&fake))?;
            Ok(Client::new(
                Server::Fake(fake.clone()),
                fake.base_url(),
                credentials,
            ))
        }
    }
}

/// Login endpoints send no credentials; the client still holds some, so give it a harmless
/// placeholder until a token arrives.
fn login_client() -> Result<Client<Server>, Error> {
    client_with(|_| Ok(Credentials::backend_token("none")?))
}

/// The password: `ROCKIT_EDGE_PASSWORD`, else, against the fake, its documented one.
fn password(client: &Client<Server>) -> Result<Password, Failure> {
    if let Ok(password) = std::env::var("ROCKIT_EDGE_PASSWORD") {
        return Ok(Password::new(password));
    }
    match client.transport() {
        Server::Fake(_) => Ok(Password::new(fake::VALID_LOGIN_PASSWORD)),
        Server::Http(_) => Err(UsageError::new("set ROCKIT_EDGE_PASSWORD").into()),
    }
}

fn old_flow(org: &str, user: &str, as_json: bool, show: bool) -> Result<(), Failure> {
    let mut client = login_client()?;
    let password = password(&client)?;
    let session = client.send(&Login::new(org, user, password))?;
    client.set_credentials(session.credentials());
    let auth = client.send(&Authenticate::new())?;

    if as_json {
        use rockit_edge::assumed::login::{LOGIN_AUTH_TOKEN_MEMBER, LOGIN_SESSION_TOKEN_MEMBER};
        let session = output::hidden_json(
            &session,
            Session::MEMBERS,
            &[LOGIN_SESSION_TOKEN_MEMBER],
            show,
        );
        let auth = output::hidden_json(&auth, AuthToken::MEMBERS, &[LOGIN_AUTH_TOKEN_MEMBER], show);
        output::json(&serde_json::json!({"session": session, "auth": auth}));
        return Ok(());
    }
    let mut lines = vec![
        (
            "session token",
            output::shown(session.session_token.expose(), show),
        ),
        ("valid for", minutes(session.lifetime())),
        ("auth token", output::shown(auth.auth_token.expose(), show)),
        ("auth valid for", minutes(auth.lifetime())),
    ];
    if let Some(permissions) = session.permissions.get() {
        for (resource, bits) in &permissions.0 {
            lines.push(("permission", format!("{resource} {bits}")));
        }
    }
    output::block(&lines);
    Ok(())
}

fn new_flow(
    user: &str,
    org: Option<String>,
    refresh: bool,
    logout: bool,
    as_json: bool,
    show: bool,
) -> Result<(), Failure> {
    let mut client = login_client()?;
    let password = password(&client)?;
    let selection = client.send(&LoginWithPassword::new(user, password))?;
    let orgs = selection.org_names();
    let org = match org {
        Some(org) => org,
        None => match orgs.as_slice() {
            [only] => (*only).to_owned(),
            _ => {
                let list = orgs.join(", ");
                return Err(
                    UsageError::new(format!("pick an organisation with --org: {list}")).into(),
                );
            }
        },
    };
    client.set_credentials(selection.credentials());
    let mut tokens = client.send(&LoginToOrg::new(&org))?;
    if refresh {
        client.set_credentials(tokens.refresh_credentials());
        tokens = client.send(&Refresh::new())?;
    }
    if logout {
        client.set_credentials(tokens.refresh_credentials());
        client.send(&Logout::new())?;
    }

    if as_json {
        use rockit_edge::assumed::login::{LOGIN_ACCESS_TOKEN_MEMBER, LOGIN_REFRESH_TOKEN_MEMBER};
        let secrets = [LOGIN_ACCESS_TOKEN_MEMBER, LOGIN_REFRESH_TOKEN_MEMBER];
        output::json(&output::hidden_json(
            &tokens,
            TokenPair::MEMBERS,
            &secrets,
            show,
        ));
        return Ok(());
    }
    show_tokens(&org, &orgs, &tokens, show);
    if logout {
        eprintln!("logged out; the tokens above no longer work");
    }
    Ok(())
}

fn show_tokens(org: &str, orgs: &[&str], tokens: &TokenPair, show: bool) {
    output::block(&[
        ("organisations", orgs.join(", ")),
        ("organisation", org.to_owned()),
        (
            "access token",
            output::shown(tokens.access_token.expose(), show),
        ),
        ("valid for", minutes(tokens.lifetime())),
        (
            "refresh token",
            output::shown(tokens.refresh_token.expose(), show),
        ),
        ("refresh valid for", minutes(tokens.refresh_lifetime())),
    ]);
}

fn minutes(duration: std::time::Duration) -> String {
    format!("{} min", duration.as_secs() / 60)
}
