//! `edge subscriptions …`: list, create and delete webhook and Slack subscriptions.

use rockit_edge::assumed::subscriptions::{SUBSCRIPTIONS_LIST_MEMBER, SUBSCRIPTIONS_SECRET_MEMBER};
use rockit_edge::subscriptions::{
    Event, EventFilter, ListSubscriptions, Subscribe, Subscribed, Target, Unsubscribe,
};

use crate::args::{Args, UsageError};
use crate::{connect, output, Failure};

pub fn run(mut args: Args) -> Result<(), Failure> {
    let action = args.command("a subscriptions command (list, create, delete)")?;
    let as_json = args.take_flag("--json");
    match action.as_str() {
        "list" => list(args, as_json),
        "create" => create(args, as_json),
        "delete" => {
            let name = args.command("a subscription name")?;
            args.finish()?;
            let answer = connect::client()?.send(&Unsubscribe::new(&name))?;
            output::json_or(as_json, &answer, |_| out!("deleted {name}"));
            Ok(())
        }
        other => Err(UsageError::new(format!("unknown subscriptions command `{other}`")).into()),
    }
}

fn list(mut args: Args, as_json: bool) -> Result<(), Failure> {
    let mut request = ListSubscriptions::new();
    let (offset, limit) = args.take_paging()?;
    request = request.offset_and_limit(offset, limit);
    match args.take_option("--order")?.as_deref() {
        None => {}
        Some("name" | "+name") => request = request.order_by_name(false),
        Some("-name") => request = request.order_by_name(true),
        Some(other) => {
            return Err(
                UsageError::new(format!("--order takes name or -name, not `{other}`")).into(),
            )
        }
    }
    args.finish()?;

    let page = connect::client()?.send(&request)?;

    if as_json {
        output::json(&output::list_body(&page, SUBSCRIPTIONS_LIST_MEMBER));
        return Ok(());
    }
    let rows: Vec<Vec<String>> = page
        .items
        .iter()
        .map(|s| {
            let (kind, target) = match s.target() {
                Some(Target::Webhook(url)) => ("webhook", url),
                Some(Target::Slack(channel)) => ("slack", channel),
                None => ("-", "-".to_owned()),
            };
            vec![
                s.name.clone(),
                kind.to_owned(),
                target,
                filter_text(s.events.get()),
            ]
        })
        .collect();
    output::table(&["NAME", "KIND", "TARGET", "EVENTS"], &rows);
    if let Some(total) = page.total() {
        eprintln!("{} of {total} subscriptions", page.items.len());
    }
    Ok(())
}

fn create(mut args: Args, as_json: bool) -> Result<(), Failure> {
    let show = args.take_flag("--show-secrets");
    let target = match (args.take_option("--url")?, args.take_option("--slack")?) {
        (Some(url), None) => Target::webhook(url),
        (None, Some(channel)) => Target::slack(channel),
        _ => return Err(UsageError::new("give either --url URL or --slack CHANNEL").into()),
    };
    let name = args.command("a subscription name")?;
    let mut request = Subscribe::new(&name, target);
    while let Some(spec) = args.take_option("--events")? {
        let Some((event_type, events)) = spec.split_once(':') else {
            return Err(
                UsageError::new(format!("--events needs TYPE:EVENT,…, not `{spec}`")).into(),
            );
        };
        request = request.events(event_type, events.split(',').map(Event::from));
    }
    args.finish()?;

    let subscribed = connect::client()?.send(&request)?;

    if as_json {
        let typed = Subscribed::MEMBERS;
        let json = output::hidden_json(&subscribed, typed, &[SUBSCRIPTIONS_SECRET_MEMBER], show);
        output::json(&json);
        return Ok(());
    }
    let mut lines = vec![("created", name)];
    if let Some(secret) = subscribed.secret.get() {
        lines.push(("webhook secret", output::shown(secret.expose(), show)));
    }
    if let Some(events) = subscribed.subscription.get().and_then(|s| s.events.get()) {
        lines.push(("events", filter_text(Some(events))));
    }
    output::block(&lines);
    Ok(())
}

/// `deploy:end,error mkraw:error`, or `all` without a filter.
fn filter_text(filter: Option<&EventFilter>) -> String {
    match filter {
        None => "all".to_owned(),
        Some(filter) => filter
            .iter()
            .map(|(t, events)| {
                let events: Vec<&str> = events.iter().map(Event::as_str).collect();
                format!("{t}:{}", events.join(","))
            })
            .collect::<Vec<_>>()
            .join(" "),
    }
}
