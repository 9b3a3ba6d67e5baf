# The silo image: `spine-silo` runs one silo of a cluster, and co-hosts the REST API when SPINE_HTTP
# is set; `spine-silo migrate` applies the migrations and exits. Build from the repository root:
#   docker build -f deploy/silo.Dockerfile -t market-spine/silo .
#   docker run --rm -e SPINE_POSTGRES=... market-spine/silo migrate
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
# The migrations are embedded into MarketSpine.Storage from sql/ at build time.
COPY sql/ sql/
COPY src/ src/
COPY silo/ silo/
RUN dotnet publish silo/MarketSpine.Silo/MarketSpine.Silo.csproj -c Release -o /out --nologo

# The ASP.NET Core runtime, not the console one: the silo references the API (src/MarketSpine.Api,
# a web project), so spine-silo.runtimeconfig.json names Microsoft.AspNetCore.App and the host
# refuses to start on the console runtime at all, `migrate` and silos without SPINE_HTTP included.
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
# APP_UID is the numeric id of the image's unprivileged `app` user: Kubernetes can verify
# runAsNonRoot only against a numeric user, never against a name.
USER $APP_UID
WORKDIR /app
# SPINE_HTTP is deliberately left unset here: without it a silo serves no HTTP, which is the
# program's own default, and the one `migrate` and grain-only silos (behind spine-api front ends)
# want. The deployments that co-host the API set it next to the probes that depend on it (k8s, Compose).
# The base image's ASPNETCORE_HTTP_PORTS=8080 is cleared: SPINE_HTTP alone says where the API
# listens, and with both set ASP.NET Core warns "Overriding HTTP_PORTS" at every start.
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 \
    ASPNETCORE_HTTP_PORTS=
COPY --from=build /out /app
# 11111: silo-to-silo and client-to-silo traffic (SPINE_SILO_ENDPOINT's port).
# 8080: the co-hosted REST API, health and metrics (SPINE_HTTP's port in the deployments).
EXPOSE 11111 8080
# Exec form, so the runtime is PID 1 and receives SIGTERM itself: the silo drains its grains on it.
ENTRYPOINT ["dotnet", "/app/spine-silo.dll"]
