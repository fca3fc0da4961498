# copied without templating: ${{ values.name }} stays as it is
