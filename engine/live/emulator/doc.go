// Package emulator is the toolkit the built-in vendor emulators share: the
// HubSpot one (package sandbox) and the Salesforce one (package
// sfsandbox) are each an http.Handler speaking their vendor's shapes and
// errors, built on the same mechanics from here:
//
//   - ListenLoopback, Serve and Start serve a handler on loopback only
//     (an emulator accepts any token, so it must never be reachable from
//     elsewhere) and shut it down gracefully;
//   - StateFile and OpenState keep an emulator's state in a JSON file
//     written atomically, created from a seed on first use, and roll a
//     mutation back in memory when its write fails;
//   - Faults, ParseFaults and Injector describe and hand out injected
//     failures (rate limits, 5xx, latency, dropped connections), which
//     each emulator answers in its vendor's words;
//   - Counter counts requests per route, and AdminRoutes serves the
//     emulators' own /_sandbox/faults and /_sandbox/requests endpoints.
//
// Nothing here knows a vendor: no HubSpot or Salesforce type, path or
// error body.
package emulator
