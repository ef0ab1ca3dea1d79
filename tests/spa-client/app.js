// A single-page app as its developer would write it with oidc-client-ts: every call to the identity server
// (discovery, token, userinfo, revocation) is a cross-origin fetch from this page's origin. Each result is
// written into the page, where the test reads it.
"use strict";

const config = window.ruumSpa; // from /config.js: the identity server, this app's client_id, the API
const manager = new oidc.UserManager({
  authority: config.authority,
  client_id: config.clientId,
  redirect_uri: location.origin + "/callback",
  post_logout_redirect_uri: location.origin + "/signed-out",
  response_type: "code",
  scope: "openid profile offline_access ruum.api",
  loadUserInfo: true,
  automaticSilentRenew: false,
  revokeTokensOnSignout: true,
  revokeTokenTypes: ["refresh_token"],
});

function show(id, text) {
  document.getElementById(id).textContent = text;
}

async function run(id, action) {
  try {
    const result = await action();
    if (result !== undefined) {
      show(id, result);
    }
  } catch (error) {
    show("error", `${id}: ${error.message}`);
  }
}

async function signedInUser() {
  const user = await manager.getUser();
  if (!user) {
    throw new Error("not signed in");
  }
  return user;
}

async function render() {
  const user = await manager.getUser();
  show("user", user ? user.profile.sub : "");
  show("name", user ? user.profile.name ?? "" : "");
  show("refresh-token", user?.refresh_token ?? "");
}

document.getElementById("sign-in").onclick = () => run("signed-in", () => manager.signinRedirect());

document.getElementById("call-api").onclick = () => run("api", async () => {
  const user = await signedInUser();
  const response = await fetch(new URL("projects", config.api), { headers: { Authorization: `Bearer ${user.access_token}` } });
  const projects = response.ok ? await response.json() : [];
  return `${response.status} ${projects.map(p => `${p.id}:${p.role}`).join(" ")}`;
});

document.getElementById("refresh").onclick = () => run("refreshed", async () => {
  const before = await signedInUser();
  const after = await manager.signinSilent(); // a refresh_token grant at the token endpoint, from the browser
  await render();
  return after.access_token !== before.access_token && after.refresh_token !== before.refresh_token ? "new tokens" : "same tokens";
});

document.getElementById("sign-out").onclick = () => run("signed-out", () => manager.signoutRedirect());

(async () => {
  if (location.pathname === "/callback") {
    await run("signed-in", async () => {
      await manager.signinRedirectCallback();
      history.replaceState(null, "", "/");
      return "signed in";
    });
  } else if (location.pathname === "/signed-out") {
    await run("signed-out", async () => {
      await manager.signoutRedirectCallback();
      return "signed out";
    });
  }
  await render();
})();
