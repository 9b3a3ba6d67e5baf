-- wrk script for `POST /v1/executions` of the no-op test pipeline (bench/api/run.sh).
-- Only wrk.method, wrk.body and wrk.headers: without a request() function wrk formats the request
-- once and resends those bytes, and without a response() function it does no Lua work per
-- response, so the load generator, which shares the machine's cores with the server, spends as
-- little CPU as it can. The server counts the statuses instead (marketspine_api_requests_total
-- at /health/metrics), and run.sh reads the 202s from there.
wrk.method = "POST"
wrk.body = '{"pipeline":"test.api.noop"}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json"
