"""The reference peer of bench/run.sh: the simplest server a user could write instead of ours.

Flask under gunicorn, Pillow to decode the upload, the MLP of mnist-mlp (784-500-500-10, ReLU,
softmax) in PyTorch with random weights (only speed is compared), and the same JSON answer shape
as dl4j-serving's /predict. Debian packages only:
  apt-get install python3-torch python3-flask gunicorn python3-pil libopenblas0-pthread
Without libopenblas0-pthread Debian's torch uses the reference BLAS, about 40x slower at matrix
products, and the comparison means nothing; bench/peer/run.sh checks for it.
Run: gunicorn -w 2 --chdir bench/peer -b 127.0.0.1:18081 server:app
"""
import io

import torch
from flask import Flask, jsonify, request
from PIL import Image

torch.set_num_threads(1)  # gunicorn's two workers are the parallelism, as our two replicas are
torch.manual_seed(0)
model = torch.nn.Sequential(
    torch.nn.Linear(784, 500), torch.nn.ReLU(),
    torch.nn.Linear(500, 500), torch.nn.ReLU(),
    torch.nn.Linear(500, 10), torch.nn.Softmax(dim=1),
).eval()
LABELS = [str(i) for i in range(10)]
app = Flask(__name__)


@app.post("/predict")
def predict():
    upload = request.files.get("image")
    if upload is None:
        return jsonify(detail="no 'image' part"), 400
    image = Image.open(io.BytesIO(upload.read())).convert("L")
    if image.size != (28, 28):
        image = image.resize((28, 28), Image.BILINEAR)
    x = torch.frombuffer(bytearray(image.tobytes()), dtype=torch.uint8).float().div_(255).view(1, 784)
    with torch.inference_mode():
        p = model(x)[0]
    scores, idx = torch.topk(p, 3)
    top = [{"label": LABELS[i], "score": s} for s, i in zip(scores.tolist(), idx.tolist())]
    return jsonify(model="torch-mlp", version=1,
                   predictions=[{"label": top[0]["label"], "score": top[0]["score"], "top": top}])
