-- wrk script for bench/soak.sh: the handover's five requests in turn (token, conversation,
-- queue, wrap-up codes, transfer), as handover-diag sends them to fixtures/transfer-202-happy-path.
local bearer = "Bearer eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJjbGllbnRfaWQiOiIwYTdjM2U1NSIsIm9yZyI6ImFjbWUifQ.bW9jay1zaWduYXR1cmU"
local conv = "3f1c2a9e-7b4d-4e21-9a6f-0c5d8e2b1a47"
local queue = "7d6e0c1a-3b8f-4f2e-9a51-2c4b7e9d0f13"
local requests = {}
local n = 0

function init(args)
  requests[1] = wrk.format("POST", "/oauth/token", {["Content-Type"] = "application/x-www-form-urlencoded",
    ["Authorization"] = "Basic MGE3YzNlNTUtNWIyZC00ZjdlLTljMWEtOGU2ZDRiMmYxYTkwOnNvYWstc2VjcmV0"},
    "grant_type=client_credentials&client_id=0a7c3e55-5b2d-4f7e-9c1a-8e6d4b2f1a90")
  requests[2] = wrk.format("GET", "/api/v2/conversations/" .. conv .. "?expand=participants,wrapup,queue", {["Authorization"] = bearer})
  requests[3] = wrk.format("GET", "/api/v2/routing/queues/" .. queue, {["Authorization"] = bearer})
  requests[4] = wrk.format("GET", "/api/v2/routing/queues/" .. queue .. "/wrapupcodes?pageSize=100&pageNumber=1", {["Authorization"] = bearer})
  requests[5] = wrk.format("POST", "/api/v2/conversations/voice/" .. conv .. "/transfer",
    {["Authorization"] = bearer, ["Content-Type"] = "application/json"},
    '{"transferTo":{"type":"queue","id":"' .. queue .. '"},"transferType":"blind","wrapupCode":{"id":"9b2f4c6d-1e3a-4b5c-8d7e-6f0a1b2c3d4e"},"contextData":{"intent":"billing_dispute","customerName":"Jane Customer"}}')
end

function request()
  n = n % #requests + 1
  return requests[n]
end

-- wrk counts only socket errors and non-2xx/3xx; a 404 near miss would be "non-2xx" too.
function done(summary, latency, requests)
  io.write(string.format("SOAK requests=%d socket_errors=%d non2xx=%d p99_ms=%.2f\n",
    summary.requests, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, latency:percentile(99) / 1000))
end
