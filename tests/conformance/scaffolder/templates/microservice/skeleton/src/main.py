def main():
    print("${{ values.name }} on :${{ values.port }}")
