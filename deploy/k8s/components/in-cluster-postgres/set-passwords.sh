# Sets the password of each GridServe role (created by 00-bootstrap.sql) from
# GRIDSERVE_PASSWORD_<ROLE> in the environment. The postgres image's entrypoint
# sources this file once, when it initialises an empty data directory.
# Passwords go to psql as variables on stdin, so they never appear in argv.
for gridserve_role in membership grid_assignment activity_tracking evaluation gateway; do
  gridserve_var="GRIDSERVE_PASSWORD_${gridserve_role^^}"
  if [ -z "${!gridserve_var:-}" ]; then
    echo "set-passwords: ${gridserve_var} is empty; role ${gridserve_role} keeps no password" >&2
    continue
  fi
  psql -v ON_ERROR_STOP=1 --no-psqlrc --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    --set=role_name="$gridserve_role" --set=role_password="${!gridserve_var}" <<'EOSQL'
ALTER ROLE :"role_name" WITH LOGIN PASSWORD :'role_password';
EOSQL
done
unset gridserve_role gridserve_var
