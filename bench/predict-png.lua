-- wrk script: POST one image as multipart/form-data to /predict, as curl -F image=@digit.png does.
-- Usage: wrk -t2 -c16 -d30s -s bench/predict-png.lua http://localhost:8080
-- The image is bench/digit.png, a 7 drawn by the project (not an MNIST image), read once at
-- start-up; IMAGE=path and TYPE=image/jpeg send another file, e.g. the phone-sized JPEGs that
-- java bench/PhotoJpegs.java writes: IMAGE=target/bench-photo.jpg TYPE=image/jpeg.
local path = os.getenv("IMAGE") or "bench/digit.png"
local f = assert(io.open(path, "rb"))
local image = f:read("*all")
f:close()
local boundary = "----wrkboundary7d3"
wrk.method = "POST"
wrk.path = "/predict"
wrk.headers["Content-Type"] = "multipart/form-data; boundary=" .. boundary
wrk.body = "--" .. boundary .. "\r\n"
  .. "Content-Disposition: form-data; name=\"image\"; filename=\"" .. path:match("[^/]*$") .. "\"\r\n"
  .. "Content-Type: " .. (os.getenv("TYPE") or "image/png") .. "\r\n\r\n"
  .. image .. "\r\n--" .. boundary .. "--\r\n"

function response(status, headers, body)
  if status ~= 200 then
    print("unexpected status " .. status .. ": " .. body)
  end
end
