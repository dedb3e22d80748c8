#!/usr/bin/env bash
# Prints the path of one of the service's built-in data files in its data directory
# ($DL4J_SERVING_DATA_DIR, else ./data as the service uses), downloading it first from its public
# URL when it is missing and checking its sha256, as the service does.
# Usage: examples/data-file.sh mnist/t10k-images-idx3-ubyte.gz
set -euo pipefail
file="${1:?usage: data-file.sh <file>, e.g. breast-cancer-wisconsin/breast-cancer-wisconsin.data}"
dir="${DL4J_SERVING_DATA_DIR:-data}"
case "$file" in
  mnist/train-images-idx3-ubyte.gz)
    url=https://ossci-datasets.s3.amazonaws.com/mnist/train-images-idx3-ubyte.gz
    sha=440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609 ;;
  mnist/train-labels-idx1-ubyte.gz)
    url=https://ossci-datasets.s3.amazonaws.com/mnist/train-labels-idx1-ubyte.gz
    sha=3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c ;;
  mnist/t10k-images-idx3-ubyte.gz)
    url=https://ossci-datasets.s3.amazonaws.com/mnist/t10k-images-idx3-ubyte.gz
    sha=8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6 ;;
  mnist/t10k-labels-idx1-ubyte.gz)
    url=https://ossci-datasets.s3.amazonaws.com/mnist/t10k-labels-idx1-ubyte.gz
    sha=f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6 ;;
  breast-cancer-wisconsin/breast-cancer-wisconsin.data)
    url=https://archive.ics.uci.edu/ml/machine-learning-databases/breast-cancer-wisconsin/breast-cancer-wisconsin.data
    sha=402c585309c399237740f635ef9919dc512cca12cbeb20de5e563a4593f22b64 ;;
  salary/position_salaries.csv)
    url=https://raw.githubusercontent.com/bradleylee/DATA-ANALYSIS-from-SCRATCH-with-PYTHON-/d39b997d4c44b2b5028dcec2d108209b4a904a0a/Position_Salaries.csv
    sha=b3e6ebde184d518d324617a29b651810da5ba907df954daca29717b98b667221 ;;
  *)
    echo "data-file.sh: unknown data file '$file'" >&2
    exit 2 ;;
esac
path="$dir/$file"
if [ ! -f "$path" ]; then
  mkdir -p "$(dirname "$path")"
  command curl --fail --silent --show-error --location -o "$path.part" "$url"
  if ! echo "$sha  $path.part" | sha256sum --check --status; then
    rm -f "$path.part"
    echo "data-file.sh: $url did not have sha256 $sha" >&2
    exit 1
  fi
  mv "$path.part" "$path"
fi
echo "$path"
