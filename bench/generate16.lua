-- wrk script: ask the generator for 16 digits (base64 PNGs in JSON).
wrk.method = "POST"
wrk.path = "/predict/mnist-dcgan"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"count": 16, "seed": 42}'

function response(status, headers, body)
  if status ~= 200 then
    print("unexpected status " .. status .. ": " .. body)
  end
end
