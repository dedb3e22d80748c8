-- wrk script: POST a phone-sized JPEG (1024x768) as multipart/form-data to /predict.
-- Usage: java bench/PhotoJpegs.java && JPEG=target/bench-photo.jpg wrk -t2 -c16 -d30s -s bench/predict-jpeg.lua http://localhost:8080
-- JPEG=target/bench-photo-exif6.jpg sends the same photo stored sideways with EXIF Orientation 6.
local path = os.getenv("JPEG") or "target/bench-photo.jpg"
local f = assert(io.open(path, "rb"))
local jpeg = f:read("*all")
f:close()
local boundary = "----wrkboundary7d3"
wrk.method = "POST"
wrk.path = "/predict"
wrk.headers["Content-Type"] = "multipart/form-data; boundary=" .. boundary
wrk.body = "--" .. boundary .. "\r\n"
  .. "Content-Disposition: form-data; name=\"image\"; filename=\"photo.jpg\"\r\n"
  .. "Content-Type: image/jpeg\r\n\r\n"
  .. jpeg .. "\r\n--" .. boundary .. "--\r\n"

function response(status, headers, body)
  if status ~= 200 then
    print("unexpected status " .. status .. ": " .. body)
  end
end
