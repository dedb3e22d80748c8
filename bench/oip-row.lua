-- wrk script: one breast-cancer row as an Open Inference Protocol FP32 tensor.
-- Usage: wrk -t2 -c16 -d30s -s bench/oip-row.lua http://localhost:8080
wrk.method = "POST"
wrk.path = "/v2/models/breast-cancer-logreg/infer"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"inputs": [{"name": "input", "shape": [1, 9], "datatype": "FP32", "data": [5, 1, 1, 1, 2, 1, 3, 1, 1]}]}'

function response(status, headers, body)
  if status ~= 200 then
    print("unexpected status " .. status .. ": " .. body)
  end
end
