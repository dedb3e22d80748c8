-- wrk script: POST one breast-cancer row as JSON to /predict.
-- Usage: wrk -t2 -c16 -d30s -s bench/predict-row.lua http://localhost:8080
wrk.method = "POST"
wrk.path = "/predict"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"features": [5, 1, 1, 1, 2, 1, 3, 1, 1]}'

function response(status, headers, body)
  if status ~= 200 then
    print("unexpected status " .. status .. ": " .. body)
  end
end
