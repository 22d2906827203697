// The API's own description, rendered by Swagger UI (served from its webjar, nothing from the internet).
window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#ui', deepLinking: true, persistAuthorization: false });
