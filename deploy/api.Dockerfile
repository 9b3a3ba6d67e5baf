# The API front end: `spine-api` serves the REST API (/v1), health, metrics, OpenAPI and Swagger UI
# (/docs) and calls the cluster's silos as a client; it hosts no grains. It finds the silos through
# the membership table, so it needs SPINE_POSTGRES and must run the very release the silos run.
# Build from the repository root:
#   docker build -f deploy/api.Dockerfile -t market-spine/api .
#   docker run --rm -p 8080:8080 -e SPINE_POSTGRES=... market-spine/api
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
# The migrations are embedded into MarketSpine.Storage from sql/ at build time.
COPY sql/ sql/
COPY src/ src/
RUN dotnet publish src/MarketSpine.Api/MarketSpine.Api.csproj -c Release -o /out --nologo

# An ASP.NET Core app (Sdk.Web): it needs the aspnet runtime.
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
# The numeric id of the image's unprivileged `app` user, so that Kubernetes can verify runAsNonRoot.
USER $APP_UID
WORKDIR /app
# spine-api listens on SPINE_HTTP, http://0.0.0.0:8080 when unset; the base image's
# ASPNETCORE_HTTP_PORTS is cleared so that ASP.NET Core does not warn at every start that
# SPINE_HTTP overrides it.
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 \
    ASPNETCORE_HTTP_PORTS=
COPY --from=build /out /app
EXPOSE 8080
# Exec form, so the runtime is PID 1 and receives SIGTERM itself: requests in flight finish first.
ENTRYPOINT ["dotnet", "/app/spine-api.dll"]
