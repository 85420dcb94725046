/// The console's Mustache templates, compiled into the binary (the static release has no resource files).
/// `{{x}}` is HTML-escaped; only `{{{body}}}` in the layout takes markup, rendered by these templates themselves.
enum ConsoleTemplates {
    static let layout = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}} · Lakegate</title>
        <style>
        :root { --fg: #1a1a1a; --muted: #4a4a4a; --bg: #ffffff; --line: #c8c8c8; --link: #0b4f9c; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 16px/1.5 system-ui, sans-serif; color: var(--fg); background: var(--bg); }
        header { background: #102a43; color: #fff; padding: .5rem 1rem; display: flex; flex-wrap: wrap;
          gap: .5rem 1.5rem; align-items: center; }
        header a { color: #fff; }
        header .who { margin-left: auto; font-size: .9rem; }
        nav ul { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 1rem; }
        main { padding: 1rem; max-width: 80rem; margin: 0 auto; }
        a { color: var(--link); }
        a:focus, .scroll:focus { outline: 3px solid #f0b400; outline-offset: 2px; }
        .skip { position: absolute; left: -999px; }
        .skip:focus { left: 1rem; top: .5rem; background: #fff; color: #000; padding: .25rem .5rem; z-index: 2; }
        .scroll { overflow-x: auto; margin-bottom: 1.5rem; }
        table { border-collapse: collapse; width: 100%; }
        caption { text-align: left; font-weight: 600; padding: .25rem 0; }
        th, td { border: 1px solid var(--line); padding: .4rem .6rem; text-align: left; vertical-align: top; }
        th { background: #eef2f6; }
        code, pre { font-family: ui-monospace, monospace; font-size: .9rem; }
        pre { background: #f4f4f4; padding: .5rem; overflow-x: auto; white-space: pre-wrap; word-break: break-all; }
        .muted { color: var(--muted); }
        .badge { display: inline-block; padding: 0 .4rem; border-radius: .25rem; font-weight: 600; border: 1px solid; }
        .applied, .noChange, .delivered, .passed, .intact { background: #e3f4e8; color: #0d5c24; }
        .waiting, .pending, .retrying { background: #fff4d6; color: #6b4a00; }
        .stalled, .failed, .broken { background: #fde4e4; color: #8a1111; }
        .unknown, .retain { background: #eeeeee; color: #333333; }
        .create { background: #e3f4e8; color: #0d5c24; }
        .update, .adopt { background: #fff4d6; color: #6b4a00; }
        .delete, .replace { background: #fde4e4; color: #8a1111; }
        th.action { background: #f7f9fb; font-weight: normal; }
        summary { cursor: pointer; }
        summary:focus { outline: 3px solid #f0b400; outline-offset: 2px; }
        @media (max-width: 40rem) { body { font-size: 15px; } main { padding: .5rem; } }
        </style>
        </head>
        <body>
        <a class="skip" href="#main">Skip to content</a>
        <header>
        <strong>Lakegate</strong>
        <nav aria-label="Console">
        <ul>
        <li><a href="/console">Overview</a></li>
        <li><a href="/console/audit">Audit log</a></li>
        <li><a href="/console/deliveries">Notifications</a></li>
        </ul>
        </nav>
        <span class="who">{{#user}}Signed in as {{user}}{{/user}}{{^user}}API token{{/user}}</span>
        </header>
        <main id="main" tabindex="-1">
        <h1>{{title}}</h1>
        {{{body}}}
        </main>
        </body>
        </html>
        """

    static let overview = """
        <section aria-labelledby="matrix-h">
        <h2 id="matrix-h">Products and environments</h2>
        {{^rows}}<p>No product has been reconciled yet.</p>{{/rows}}
        {{#hasRows}}
        <div class="scroll" role="region" aria-labelledby="matrix-h" tabindex="0">
        <table>
        <caption>Desired and deployed release, last outcome and its age, per product and environment</caption>
        <thead><tr><th scope="col">Product</th>{{#environments}}<th scope="col">{{.}}</th>{{/environments}}</tr></thead>
        <tbody>
        {{#rows}}
        <tr><th scope="row"><a href="/console/products/{{product}}">{{product}}</a></th>
        {{#cells}}<td>{{#present}}<span class="badge {{outcome}}">{{outcome}}</span><br>
        desired <code>{{desired}}</code><br>deployed <code>{{deployed}}</code><br>
        <span class="muted">{{age}}</span>{{#hasDrift}}<br><span class="badge stalled">drift {{drift}}</span>{{/hasDrift}}
        {{/present}}{{^present}}<span class="muted">not in this environment</span>{{/present}}</td>{{/cells}}
        </tr>
        {{/rows}}
        </tbody>
        </table>
        </div>
        {{/hasRows}}
        </section>
        <section aria-labelledby="approvals-h">
        <h2 id="approvals-h">Pending approvals</h2>
        {{^approvals}}<p>No release is waiting for approvals.</p>{{/approvals}}
        {{#approvals}}
        <article aria-label="{{product}} {{release}} for {{environment}}">
        <h3>{{product}} <code>{{release}}</code> → {{environment}}</h3>
        <p>{{quorum}}</p>
        <p>Approve it from a clone of the product repository:</p>
        <pre>{{command}}</pre>
        </article>
        {{/approvals}}
        </section>
        <section aria-labelledby="deliveries-h">
        <h2 id="deliveries-h">Notifications</h2>
        <p>{{pendingDeliveries}} pending, {{retryingDeliveries}} retrying, {{failedDeliveries}} failed.
        <a href="/console/deliveries">Delivery details</a></p>
        </section>
        """

    static let product = """
        {{#environments}}
        <section aria-labelledby="env-{{name}}">
        <h2 id="env-{{name}}">{{name}}</h2>
        {{#status}}
        <p><span class="badge {{outcome}}">{{outcome}}</span> {{message}}</p>
        <p>Desired <code>{{desired}}</code> · deployed <code>{{deployed}}</code> · reconciled {{age}}
        {{#retryAt}} · next attempt {{retryAt}}{{/retryAt}}</p>
        <p>Drift: {{#hasDrift}}{{drift}} owned resource(s) differ from the deployed release{{/hasDrift}}{{^hasDrift}}none reported{{/hasDrift}}.</p>
        <div class="scroll" role="region" aria-label="Gates and policy report for {{name}}" tabindex="0">
        <table>
        <caption>Gates and policy report for {{desired}} in {{name}}</caption>
        <thead><tr><th scope="col">Gate</th><th scope="col">Result</th><th scope="col">Reason</th></tr></thead>
        <tbody>
        {{#gates}}<tr><td><code>{{name}}</code></td><td><span class="badge {{result}}">{{result}}</span></td>
        <td>{{reason}}</td></tr>{{/gates}}
        </tbody>
        </table>
        </div>
        {{#approval}}<p>Approvals: {{quorum}}</p><pre>{{command}}</pre>{{/approval}}
        {{/status}}
        {{^status}}<p>Not reconciled yet.</p>{{/status}}
        {{#lastPlan}}
        <h3 id="plan-{{name}}">Last plan in {{name}}</h3>
        <p><span class="badge {{outcomeClass}}">{{outcome}}</span> {{message}}</p>
        <p>Release <code>{{release}}</code> · commit <code>{{commit}}</code> · computed {{when}} ·
        plan digest <code>{{digest}}</code></p>
        <p>{{summary}}</p>
        {{#warnings}}<p class="muted">Warning: {{.}}</p>{{/warnings}}
        {{^hasActions}}<p>No changes.</p>{{/hasActions}}
        {{#hasActions}}
        <div class="scroll" role="region" aria-labelledby="plan-{{name}}" tabindex="0">
        <table class="plan">
        <caption>What the plan changes in {{name}}, field by field: old → new{{#applied}}, with each action's
        result{{/applied}}</caption>
        <thead><tr><th scope="col">Field</th><th scope="col">Old</th><th scope="col">New</th></tr></thead>
        {{#actions}}
        <tbody>
        <tr><th scope="rowgroup" colspan="3" class="action"><span class="badge {{type}}">{{type}}</span>
        <code>{{header}}</code>{{#result}} · result: {{result}}{{/result}}
        {{#reason}}<br><span class="muted">{{reason}}</span>{{/reason}}</th></tr>
        {{#changes}}<tr><td><code>{{field}}</code></td>
        <td>{{#before}}<code>{{before}}</code>{{/before}}{{^before}}<span class="muted">(absent)</span>{{/before}}</td>
        <td>{{#after}}<code>{{after}}</code>{{/after}}{{^after}}<span class="muted">(absent)</span>{{/after}}</td></tr>
        {{/changes}}
        </tbody>
        {{/actions}}
        </table>
        </div>
        {{/hasActions}}
        <details><summary>As <code>lakegate plan</code> prints it</summary><pre>{{text}}</pre></details>
        {{/lastPlan}}
        {{^lastPlan}}<p>No plan computed here yet.</p>{{/lastPlan}}
        </section>
        {{/environments}}
        <section aria-labelledby="timeline-h">
        <h2 id="timeline-h">Release timeline</h2>
        {{> entries}}
        </section>
        """

    static let entries = """
        {{^entries}}<p>No audit entries yet.</p>{{/entries}}
        {{#hasEntries}}
        <div class="scroll" role="region" aria-label="Audit entries" tabindex="0">
        <table>
        <caption>Newest first</caption>
        <thead><tr><th scope="col">#</th><th scope="col">When</th><th scope="col">Product</th>
        <th scope="col">Environment</th><th scope="col">Release</th><th scope="col">Outcome</th>
        <th scope="col">Approvals</th><th scope="col">Message</th></tr></thead>
        <tbody>
        {{#entries}}<tr><td>{{sequence}}</td><td>{{when}}</td><td>{{product}}</td><td>{{target}}</td>
        <td><code>{{release}}</code></td><td><span class="badge {{outcomeClass}}">{{outcome}}</span></td>
        <td>{{approvals}}</td><td>{{message}}{{#actor}} (by {{actor}}){{/actor}}</td></tr>{{/entries}}
        </tbody>
        </table>
        </div>
        {{/hasEntries}}
        """

    static let audit = """
        <section aria-labelledby="verify-h">
        <h2 id="verify-h">Verification</h2>
        <p><span class="badge {{verifyClass}}">{{verifyResult}}</span></p>
        <ul>{{#verifyLines}}<li>{{.}}</li>{{/verifyLines}}</ul>
        </section>
        <section aria-labelledby="log-h">
        <h2 id="log-h">Entries</h2>
        {{> entries}}
        </section>
        """

    static let deliveries = """
        <p>Every event is kept in the outbox until its provider accepts it; failed attempts are retried with backoff
        under the same event id.</p>
        <p>{{pendingDeliveries}} pending, {{retryingDeliveries}} retrying, {{failedDeliveries}} failed (given up).</p>
        {{^deliveries}}<p>No delivery has failed.</p>{{/deliveries}}
        {{#hasDeliveries}}
        <div class="scroll" role="region" aria-label="Failed and retrying deliveries" tabindex="0">
        <table>
        <caption>Deliveries that failed at least once, newest first</caption>
        <thead><tr><th scope="col">Event</th><th scope="col">Kind</th><th scope="col">Product</th>
        <th scope="col">Environment</th><th scope="col">Provider</th><th scope="col">State</th>
        <th scope="col">Attempts</th><th scope="col">Last error</th><th scope="col">Next attempt</th></tr></thead>
        <tbody>
        {{#deliveries}}<tr><td><code>{{eventID}}</code></td><td>{{kind}}</td><td>{{product}}</td><td>{{target}}</td>
        <td>{{provider}}</td><td><span class="badge {{stateClass}}">{{state}}</span></td><td>{{attempts}}</td>
        <td>{{lastError}}</td><td>{{next}}</td></tr>{{/deliveries}}
        </tbody>
        </table>
        </div>
        {{/hasDeliveries}}
        """
}
