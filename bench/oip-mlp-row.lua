-- wrk script: one mnist-mlp FP32 row of 784 values as an Open Inference Protocol REST request, the
-- body read from $BODY (bench/grpc.sh writes it with bench/grpc_bodies.py).
-- Usage: BODY=target/bench-grpc/row.json wrk -t2 -c16 -d10s --latency -s bench/oip-mlp-row.lua http://localhost:8080
wrk.method = "POST"
wrk.path = "/v2/models/mnist-mlp/infer"
wrk.headers["Content-Type"] = "application/json"
local file = assert(io.open(os.getenv("BODY"), "rb"))
wrk.body = file:read("*a")
file:close()

local bad = 0
function response(status, headers, body)
  if status ~= 200 then
    bad = bad + 1
    if bad <= 3 then print("unexpected status " .. status .. ": " .. body) end
  end
end
