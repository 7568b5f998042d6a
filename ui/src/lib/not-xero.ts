// The words for endpoints that are not Xero's own, shared by the header badge and Settings.

/** "Not Xero: 127.0.0.1:4567" (every such host, in the order the core lists them). */
export function notXeroLabel(hosts: readonly string[]): string {
  return `Not Xero: ${hosts.join(", ")}`;
}

export function notXeroTitle(hosts: readonly string[]): string {
  return `Switchboard talks to ${hosts.join(", ")} in Xero's place: sign-ins, tokens and client data go there, not to Xero. In tests and the demo this is the local Xero simulator.`;
}
