CREATE TABLE ${{ values.name | replace("-", "_") }} (id SERIAL PRIMARY KEY);
