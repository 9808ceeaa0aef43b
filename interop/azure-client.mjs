// The real Azure JS client, @azure/arm-appcontainers with its stock
// pipeline, against `authcontract serve`: if the reference answers the way
// Azure Resource Manager does, the client reads a token from it, and turns
// its errors into the RestError codes and statuses an Azure user's code
// relies on. `make interop` runs it; by hand:
//
//   NODE_EXTRA_CA_CERTS=ca.pem AUTHCONTRACT_TARGET=https://127.0.0.1:8443 \
//   AUTHCONTRACT_TOKEN=… AUTHCONTRACT_CONTAINERAPP=/subscriptions/…/containerApps/app \
//   node interop/azure-client.mjs
//
// The client refuses to send a bearer token over http, hence https and
// NODE_EXTRA_CA_CERTS for the private CA. Token values are never printed,
// only their length: this output lands in CI logs.

import { ContainerAppsAPIClient } from "@azure/arm-appcontainers";
import { isTokenCredential } from "@azure/core-auth";

// How long one call may take; the client retries some failures, so this
// bounds the retries too.
const callTimeoutMs = 15_000;

const target = requireEnv("AUTHCONTRACT_TARGET");
const token = requireEnv("AUTHCONTRACT_TOKEN");
const app = parseContainerAppId(requireEnv("AUTHCONTRACT_CONTAINERAPP"));

const failures = [];

await check("the existing app's token is returned, with an expiry in the future", async () => {
  const result = await clientWith(token).containerApps.getAuthToken(app.resourceGroup, app.name, callOptions());
  if (typeof result.token !== "string" || result.token === "") {
    throw new Error(`no token in the result (token is ${typeof result.token})`);
  }
  if (!(result.expires instanceof Date) || Number.isNaN(result.expires.getTime())) {
    throw new Error(`expires is not a date: ${String(result.expires)}`);
  }
  if (result.expires.getTime() <= Date.now()) {
    throw new Error(`the token expired already, at ${result.expires.toISOString()}`);
  }
  return `a token of ${result.token.length} characters, expiring ${result.expires.toISOString()}`;
});

await check("an unknown app is a RestError ResourceNotFound with status 404", async () => {
  const unknown = `${app.name}-missing-${process.pid}`;
  const error = await rejection(clientWith(token).containerApps.getAuthToken(app.resourceGroup, unknown, callOptions()));
  expectRestError(error, { code: "ResourceNotFound", statusCode: 404 });
  return `RestError ${error.code}, status ${error.statusCode}`;
});

await check("a wrong token is a RestError with status 401", async () => {
  const error = await rejection(clientWith(`${token}-wrong`).containerApps.getAuthToken(app.resourceGroup, app.name, callOptions()));
  expectRestError(error, { statusCode: 401 });
  return `RestError ${error.code}, status ${error.statusCode}`;
});

if (failures.length > 0) {
  console.error(`azure-client: ${failures.length} of 3 checks failed against ${target}:`);
  for (const failure of failures) {
    console.error(`  - ${failure}`);
  }
  process.exit(1);
}
console.log(`azure-client: all 3 checks passed against ${target}`);

// clientWith is the stock client, pointed at the target, whose credential
// hands out bearer.
function clientWith(bearer) {
  const credential = {
    // The pipeline asks for a token per request; expiresOnTimestamp an hour
    // ahead keeps it from asking again mid-call.
    getToken: async () => ({ token: bearer, expiresOnTimestamp: Date.now() + 3_600_000 }),
  };
  if (!isTokenCredential(credential)) {
    throw new Error("the credential is not a TokenCredential as @azure/core-auth defines it");
  }
  return new ContainerAppsAPIClient(credential, app.subscriptionId, { endpoint: target });
}

function callOptions() {
  return { abortSignal: AbortSignal.timeout(callTimeoutMs) };
}

// check runs one assertion, printing what it found or recording why not.
async function check(name, assertion) {
  try {
    const found = await assertion();
    console.log(`ok: ${name}: ${found}`);
  } catch (error) {
    failures.push(`${name}: ${describe(error)}`);
    console.error(`FAILED: ${name}: ${describe(error)}`);
  }
}

// rejection resolves to the error the promise rejects with, and fails when
// it resolves instead. What it resolved to is not shown: it may hold a token.
async function rejection(promise) {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("the call succeeded, but it should have been refused");
}

function expectRestError(error, want) {
  // RestError sets its name; @azure/core-rest-pipeline's isRestError checks
  // the same, and this way the script needs no package it does not pin.
  if (error?.name !== "RestError") {
    throw new Error(`want a RestError, got ${describe(error)}`);
  }
  for (const [field, value] of Object.entries(want)) {
    if (error[field] !== value) {
      throw new Error(`want ${field} ${value}, got ${error[field]} (${describe(error)})`);
    }
  }
}

// describe says what an error is without its request or response, whose
// headers carry the bearer token.
function describe(error) {
  if (!(error instanceof Error)) {
    return String(error);
  }
  const parts = [error.name];
  if (error.code !== undefined) parts.push(`code ${error.code}`);
  if (error.statusCode !== undefined) parts.push(`status ${error.statusCode}`);
  const message = error.message.replaceAll(token, `<token of ${token.length} characters>`);
  return `${parts.join(", ")}: ${message}`;
}

function parseContainerAppId(id) {
  const match = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.App\/containerApps\/([^/]+)$/i.exec(id);
  if (match === null) {
    fail(`AUTHCONTRACT_CONTAINERAPP is not a container app resource id: ${id}`);
  }
  return { subscriptionId: match[1], resourceGroup: match[2], name: match[3] };
}

function requireEnv(name) {
  const value = process.env[name];
  if (!value) {
    fail(`${name} is not set`);
  }
  return value;
}

function fail(message) {
  console.error(`azure-client: ${message}`);
  process.exit(2);
}
