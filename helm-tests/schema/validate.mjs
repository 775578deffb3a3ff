// Validates Kubernetes objects (a JSON array on stdin) against the API schemas shipped by the
// kubernetes-models packages (core API, KEDA, prometheus-operator). Prints one line per problem
// ("<kind>/<name>: <message>") and exits 1 if there is any; an object whose kind has no schema here
// is a problem too, so nothing passes unchecked.
const input = await new Promise((resolve) => {
  let data = "";
  process.stdin.setEncoding("utf8");
  process.stdin.on("data", (chunk) => (data += chunk));
  process.stdin.on("end", () => resolve(data));
});

const packages = {
  "keda.sh": "@kubernetes-models/keda",
  "monitoring.coreos.com": "@kubernetes-models/prometheus-operator",
};

function modulePath(apiVersion, kind) {
  const slash = apiVersion.indexOf("/");
  if (slash < 0) return `kubernetes-models/${apiVersion}/${kind}`; // core group, e.g. v1
  const group = apiVersion.substring(0, slash);
  return `${packages[group] ?? "kubernetes-models"}/${apiVersion}/${kind}`;
}

let problems = 0;
for (const obj of JSON.parse(input)) {
  const id = `${obj.kind}/${obj.metadata?.name}`;
  let model;
  try {
    model = (await import(modulePath(obj.apiVersion, obj.kind)))[obj.kind];
  } catch (e) {
    console.log(`${id}: no schema for ${obj.apiVersion} ${obj.kind} (${e.code ?? e.message})`);
    problems++;
    continue;
  }
  try {
    new model(obj).validate();
  } catch (e) {
    console.log(`${id}: ${e.message}`);
    problems++;
  }
}
console.log(`checked, ${problems} problem(s)`);
process.exit(problems === 0 ? 0 : 1);
